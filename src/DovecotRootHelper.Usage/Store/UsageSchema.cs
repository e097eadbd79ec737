namespace DovecotRootHelper.Usage.Store;

/// <summary>
/// The database's schema, one migration per version (PRAGMA user_version), applied in order in
/// one transaction when the store is opened. Never edit a migration that has shipped: add one.
/// </summary>
internal static class UsageSchema
{
    public static readonly string[] Migrations =
    [
        // 1: files read and how far; what each user did with each mailbox (one row per mailbox, a
        // column per command: a row per command made the scan's upserts several times as many); LISTs;
        // create, delete, rename.
        """
        CREATE TABLE log_files(
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL,
            head BLOB NOT NULL,
            offset INTEGER NOT NULL,
            lines INTEGER NOT NULL DEFAULT 0,
            events INTEGER NOT NULL DEFAULT 0,
            malformed INTEGER NOT NULL DEFAULT 0,
            complete INTEGER NOT NULL DEFAULT 0,
            scanned_at INTEGER NOT NULL);
        CREATE TABLE mailbox_use(
            user TEXT NOT NULL,
            mailbox TEXT NOT NULL,
            count INTEGER NOT NULL,
            first_seen INTEGER NOT NULL,
            last_seen INTEGER NOT NULL,
            selects INTEGER NOT NULL,
            examines INTEGER NOT NULL,
            statuses INTEGER NOT NULL,
            appends INTEGER NOT NULL,
            copies INTEGER NOT NULL,
            moves INTEGER NOT NULL,
            PRIMARY KEY(user, mailbox)) WITHOUT ROWID;
        CREATE TABLE list_use(
            user TEXT NOT NULL,
            pattern TEXT NOT NULL,
            command TEXT NOT NULL,
            full_tree INTEGER NOT NULL,
            count INTEGER NOT NULL,
            running_usecs INTEGER NOT NULL,
            max_usecs INTEGER NOT NULL,
            first_seen INTEGER NOT NULL,
            last_seen INTEGER NOT NULL,
            PRIMARY KEY(user, pattern, command)) WITHOUT ROWID;
        CREATE TABLE mailbox_life(
            user TEXT NOT NULL,
            mailbox TEXT NOT NULL,
            created INTEGER,
            deleted INTEGER,
            renamed_from TEXT,
            renamed_to TEXT,
            renamed_at INTEGER,
            PRIMARY KEY(user, mailbox)) WITHOUT ROWID;
        """,
    ];

    public static int Current => Migrations.Length;
}
