namespace DovecotRootHelper.Cli;

/// <summary>The text of <c>imaproot help</c>.</summary>
internal static class HelpText
{
    public const string Text = """
        usage: imaproot [--config PATH] [--json] COMMAND [ARGS]

        Commands:
          status USER...                  state, the mail location Dovecot gets, pending journal
          list [--state STATE]            users in the state file (STATE: legacy, migrated, migrating,
                                          or a target of [locations])
          set USER legacy|migrated|TARGET [--note TEXT]
                                          change the flag only (no files move), then flush Dovecot's
                                          auth cache; refused while a migration journal is pending
          plan USER [--mailbox NAME]... [--mailboxes-from FILE] [--filter-references HOW]
                                          dry run: mailboxes, evidence, moves, mail filters naming
                                          them, notes, conflicts
          migrate USER... [--users-from FILE] [--dry-run] [--yes] [--mailbox NAME]... [--mailboxes-from FILE]
                  [--filter-references HOW]
                                          move the users' mailboxes under the migrated root
                                          (several users: one batch, report kept in journal-dir)
          schedule USER... --at TIME [--to TARGET] [--notify] [--dry-run]
                                          schedule migrations (TIME: YYYY-MM-DDTHH:MM, local or
                                          with Z/+HH:MM); --notify mails each user the [notices]
                                          before template; --dry-run prints the mails instead
          schedule --list | --cancel USER...
                                          show the schedule, or take users off it
          run-due [--dry-run]             migrate every scheduled user whose time has come, as one
                                          batch (from a systemd timer or cron)
          convert USER... --to TARGET [--users-from FILE] [--dry-run] [--yes]
                                          copy the users' mail to a target of [locations] with
                                          doveadm backup, then flip their state (old mail kept)
          finalize USER... [--yes]        after convert: remove the old mail; no way back after it
          resume USER [--rollback] [--filter-references HOW]
                                          finish (or undo) an interrupted migration or conversion
          rollback USER                   undo a migration, back to legacy; or a conversion before
                                          finalize, with the mail delivered since
          check                           validate the config and the whole state file
          edit                            edit the state file in $VISUAL/$EDITOR: a copy, validated,
                                          then published like set (index and userdb rewritten)
          reindex                         after a hand edit: rewrite the state file's index
          explain USER [--uid N] [--home DIR]
                                          the variables the login hook gives Dovecot for USER
          usage scan [FILE...]            read Dovecot's logs (default: [usage] logs) into the
                                          usage database, from where the last scan stopped
          usage show USER                 per mailbox: subscribed, seen in the logs, indexed, on
                                          disk, an mbox; disagreements marked
          candidates [--top N]            legacy users ranked by what their $HOME root costs
          db init | db upgrade            create or upgrade imaproot's schema in the PostgreSQL
                                          database of [postgresql] conninfo-file
          db status                       its schema, whether Dovecot's rows match the config,
                                          users per state, the schedule; exit 4 when db is due
          state import [FILE] [--replace] the state file (default [state] file, with the
                                          schedule) into the database, replacing its users
          state export [FILE]             the database's state as a state file, to stdout or
                                          FILE (the configured one: with the schedule)
          help                            this text

        Options:
          --config PATH   config file (default /etc/dovecot-root-helper.conf)
          --json          JSON on stdout, for scripts
          --version       print the package's version
          --yes           migrate without asking (required when stdin is not a terminal);
                          every command that changes something accepts it
          --filter-references refuse|symlink|confirmed
                          a user's mail filter (.procmailrc, .forward, .mailfilter, Sieve)
                          names a path that moves: refuse the user (default), leave a
                          symlink at the old path, or go ahead (the filters were checked)
          --top N         candidates: how many to show (default 10)

        Exit codes:
          0  ok
          1  a command failed (migration refused, plan has conflicts, I/O error)
          2  usage error
          3  unknown user
          4  config, state file or migration journal invalid (or the PostgreSQL connection
             file; or a database schema newer than this imaproot)
          5  a journal is pending, or the user's state does not allow it
          6  the account database did not answer (not "unknown user"); nothing changed
        With several users, the exit code is the first failure's.

        """;
}
