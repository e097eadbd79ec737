using DovecotRootHelper.Migration;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Cli.Commands;

/// <summary>
/// <c>imaproot run-due [--dry-run]</c>, for a systemd timer or cron: migrates every scheduled user
/// whose time has come, as one batch (a user a crashed run left with a pending journal is resumed
/// first), takes them off the schedule, sends the <c>[notices] after</c> mail to those who were
/// notified, and keeps the batch's report like migrate. A scheduled user whose account is gone is
/// taken off the schedule with one line (exit 3), never locked, migrated or mailed. One run-due at
/// a time: another one running makes it stop at once (exit 1), and nothing is done twice.
/// </summary>
internal static class RunDueCommand
{
    public static int Run(CommandContext context)
    {
        context.Arguments.Allow("--dry-run", "--yes");
        context.Arguments.Expect(0, 0, "run-due [--dry-run]");
        IStateStore store = context.Store;
        using IDisposable runLock = store.TryLockRunDue()
            ?? throw new CommandFailure(ExitCodes.Failed, $"another imaproot run-due is running ({store.HeldLock(null)}); nothing done");

        List<ScheduledMigration> due;
        using (IMigrationSchedule schedule = store.LockSchedule())
            due = schedule.Due(DateTime.UtcNow);
        if (due.Count == 0 || context.Arguments.Has("--dry-run"))
        {
            if (!context.Json)
                context.Console.Out.WriteLine(due.Count == 0 ? "run-due: no migration is due" : $"run-due: due now (nothing done): {string.Join(' ', due.Select(d => d.User))}");
            return ExitCodes.Ok;
        }

        int exitCode = ExitCodes.Ok;
        // An account deleted since it was scheduled: nothing to lock, migrate or mail. A failing
        // lookup (the directory unreachable) is not "no such user": it throws, and nothing is done.
        Dictionary<string, UnixAccount?> accounts = due.Select(d => d.User).Distinct(StringComparer.Ordinal).ToDictionary(user => user, context.FindAccount, StringComparer.Ordinal);
        List<ScheduledMigration> gone = [.. due.Where(d => accounts[d.User] is null)];
        if (gone.Count > 0)
        {
            using (IMigrationSchedule schedule = store.LockSchedule())
                schedule.Cancel(gone.Where(d => schedule.Entries.Contains(d)).Select(d => d.User));
            foreach (ScheduledMigration deleted in gone)
                exitCode = Math.Max(exitCode, Imaproot.Fail(context.Console, ExitCodes.UnknownUser, $"{deleted.User}: no such user: taken off the schedule; not migrated, no after-notice"));
            due = [.. due.Except(gone)];
            if (due.Count == 0)
                return exitCode;
        }

        // Scheduled conversions (schedule --to) go one user after the other, as convert does them.
        List<ScheduledMigration> conversions = [.. due.Where(d => d.To is not null)];
        if (conversions.Count > 0)
        {
            exitCode = Math.Max(exitCode, ConvertCommand.RunScheduled(context, [.. conversions.Select(d => (accounts[d.User]!, d.To!))]));
            using (IMigrationSchedule schedule = store.LockSchedule())
                schedule.Cancel(conversions.Where(d => schedule.Entries.Contains(d)).Select(d => d.User));
            exitCode = Math.Max(exitCode, SendAfterNotices(context, conversions, null));
            due = [.. due.Except(conversions)];
            if (due.Count == 0)
                return exitCode;
        }

        ProgressDisplay? progress = context.Json ? null : new ProgressDisplay(context.Console.Out, context.Console.OutputIsTerminal);
        UserMigration migration = context.Migration(progress);
        var pending = due.Where(d => migration.Pending(accounts[d.User]!) is not null).ToList();
        foreach (ScheduledMigration interrupted in pending)
        {
            Reports.MigrationOutcome outcome = Outcomes.Run(interrupted.User, () => migration.Resume(accounts[interrupted.User]!, rollback: false), out int code);
            progress?.EndLine();
            Outcomes.Show(context, outcome, code);
            exitCode = Math.Max(exitCode, code);
        }
        List<UnixAccount> users = [.. due.Except(pending).Select(d => accounts[d.User]!).DistinctBy(a => a.Name, StringComparer.Ordinal)];
        BatchResult? result = users.Count == 0 ? null : migration.MigrateBatch(users, MailboxSelection.None);
        progress?.EndLine();

        using (IMigrationSchedule schedule = store.LockSchedule())
        {
            // Only what this run took: an entry the admin moved meanwhile stays.
            schedule.Cancel(due.Where(d => schedule.Entries.Contains(d)).Select(d => d.User));
        }
        if (result is not null)
        {
            exitCode = Math.Max(exitCode, BatchCommand.Show(context, result));
            exitCode = Math.Max(exitCode, SendAfterNotices(context, due, result));
        }
        return exitCode;
    }

    // Exit 1 when a notice could not be sent. Without a batch (conversions), whether the user's
    // state now names the target decides what the notice says.
    private static int SendAfterNotices(CommandContext context, List<ScheduledMigration> due, BatchResult? result)
    {
        if (context.Config.Notices.AfterTemplate is not { } template)
            return ExitCodes.Ok;
        int exitCode = ExitCodes.Ok;
        IEnumerable<(string User, string? Error)> members = result is not null
            ? result.Members.Select(m => (m.User, m.Error))
            : due.Select(d => (d.User, context.Store.Find(d.User)?.State == UserState.AtTarget(d.To!) ? null : (string?)$"not converted to {d.To}: imaproot status {d.User}"));
        foreach ((string user, string? error) in members)
        {
            ScheduledMigration scheduled = due.First(d => d.User == user);
            if (!scheduled.Notify)
                continue;
            try
            {
                if (MigrationNotice.ComposeAfter(template, user, scheduled.At, error).Send(context.Config.Notices) is { } failed)
                    exitCode = Imaproot.Fail(context.Console, ExitCodes.Failed, $"{user}: the after-notice was not sent: {failed}");
            }
            catch (MigrationException e)
            {
                exitCode = Imaproot.Fail(context.Console, ExitCodes.Failed, e.Message);
            }
        }
        return exitCode;
    }
}
