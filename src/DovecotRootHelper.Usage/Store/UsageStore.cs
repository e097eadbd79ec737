using DovecotRootHelper.Durability;
using DovecotRootHelper.Posix;
using Microsoft.Data.Sqlite;

namespace DovecotRootHelper.Usage.Store;

/// <summary>
/// The usage database (SQLite, <c>[usage] database</c>). Every commit writes a batch of events and
/// the offset it reached in one transaction, so a scan killed at any point has either recorded a
/// stretch of the log and its offset, or neither: the next scan neither loses nor counts twice.
/// </summary>
public sealed partial class UsageStore : IDisposable
{
    /// <summary>How many leading bytes identify a log file.</summary>
    public const int HeadLength = 1024;

    private readonly SqliteConnection _connection;
    private int _commits;

    private UsageStore(string path, SqliteConnection connection)
    {
        Path = path;
        _connection = connection;
    }

    public string Path { get; }

    /// <summary>The files SQLite and the scan keep beside the database: WAL, its shared memory, a rollback journal, the scan's lock.</summary>
    public static IEnumerable<string> Companions(string path) => [path + "-wal", path + "-shm", path + "-journal", path + ".lock"];

    /// <summary>
    /// Opens the database, creating it (mode 0600: it names every user's mailboxes) and bringing its
    /// schema up to date. The database, its directory and its companions must pass the state file's
    /// rule (<see cref="TrustedDirectory"/>, <see cref="TrustedFile"/>): root writes them, and a
    /// link planted there would make root write another file, a database others can write would
    /// forge evidence, a FIFO would hang the commands that read it.
    /// </summary>
    public static UsageStore Open(string path)
    {
        SystemSqlite.Initialize();
        try
        {
            if (!Trust(path))
            {
                // O_EXCL and no link followed: in a trusted directory nobody else can put a name there meanwhile.
                using FileDescriptor created = Sys.CreateNew(path, 0b110_000_000);
            }
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Mode = SqliteOpenMode.ReadWrite,
                Pooling = false,
            }.ToString());
            var store = new UsageStore(path, connection);
            try
            {
                connection.Open();
                // A scan upserts one row per user and mailbox seen in each batch: a 64 MB page cache and
                // reads through mmap keep those B-tree lookups off the read(2) path (bounded, whatever the log's size).
                store.Execute("PRAGMA busy_timeout = 60000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA cache_size = -65536; PRAGMA mmap_size = 268435456;");
                store.Migrate();
                return store;
            }
            catch
            {
                store.Dispose();
                throw;
            }
        }
        catch (SqliteException e)
        {
            throw new UsageStoreException($"{path}: {e.Message.TrimEnd('.')}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageStoreException($"{path}: {e.Message.TrimEnd('.')}", e);
        }
    }

    /// <summary>Opens an existing database to read; null when there is none yet.</summary>
    public static UsageStore? OpenExisting(string path) => Sys.LinkStatusOrNull(path) is null ? null : Open(path);

    // Whether the database exists; throws when it, its directory or a companion breaks the rule.
    private static bool Trust(string path)
    {
        try
        {
            TrustedDirectory.CheckIfExists(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
            bool exists = TrustFile(path);
            foreach (string companion in Companions(path))
                TrustFile(companion);
            return exists;
        }
        catch (UntrustedFileException e)
        {
            throw new UsageStoreException(e.Message, e);
        }
    }

    private static bool TrustFile(string path)
    {
        FileStatus? link = Sys.LinkStatusOrNull(path);
        if (link is null)
            return false;
        // Said before opening for a clearer message than ELOOP; the open refuses one swapped in since.
        if (link.Value.IsSymbolicLink)
            throw new UntrustedFileException(path, "refused: a symbolic link");
        using FileDescriptor fd = TrustedFile.Open(path, out _);
        return true;
    }

    public int SchemaVersion => Version(null);

    private int Version(SqliteTransaction? transaction)
    {
        using SqliteCommand command = Command("PRAGMA user_version", transaction);
        return (int)(long)command.ExecuteScalar()!;
    }

    private void Migrate()
    {
        using SqliteTransaction transaction = _connection.BeginTransaction(deferred: false);
        int version = Version(transaction);
        if (version > UsageSchema.Current)
            throw new UsageStoreException($"{Path}: schema version {version} is newer than this imaproot knows ({UsageSchema.Current}): use a newer imaproot");
        for (int v = version; v < UsageSchema.Current; v++)
        {
            Execute(UsageSchema.Migrations[v], transaction);
            Execute($"PRAGMA user_version = {v + 1}", transaction);
        }
        transaction.Commit();
    }

    /// <summary>The known log file whose head is the longest prefix of <paramref name="head"/>; null for a new file.</summary>
    public LogFileRecord? FindFile(byte[] head)
    {
        using SqliteCommand command = Command(
            "SELECT id, path, head, offset, lines, complete FROM log_files WHERE length(head) <= length($head) AND head = substr($head, 1, length(head)) ORDER BY length(head) DESC, id DESC LIMIT 1");
        command.Parameters.AddWithValue("$head", head);
        using SqliteDataReader reader = command.ExecuteReader();
        return reader.Read() ? new LogFileRecord(reader.GetInt64(0), reader.GetString(1), (byte[])reader.GetValue(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5) != 0) : null;
    }

    /// <summary>Records the batch and the file's new offset in one transaction; refused when another scan moved the offset meanwhile.</summary>
    public void Commit(LogFileProgress file, UsageBatch batch)
    {
        try
        {
            using SqliteTransaction transaction = _connection.BeginTransaction(deferred: false);
            long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            if (file.Id == 0)
            {
                using SqliteCommand insert = Command("INSERT INTO log_files(path, head, offset, scanned_at) VALUES($path, $head, 0, $now) RETURNING id", transaction);
                insert.Parameters.AddWithValue("$path", file.Path);
                insert.Parameters.AddWithValue("$head", file.Head);
                insert.Parameters.AddWithValue("$now", now);
                file.Id = (long)insert.ExecuteScalar()!;
            }
            else
            {
                using SqliteCommand check = Command("SELECT offset FROM log_files WHERE id = $id", transaction);
                check.Parameters.AddWithValue("$id", file.Id);
                if (check.ExecuteScalar() is not long stored || stored != file.CommittedOffset)
                    throw new UsageStoreException($"{file.Path}: another scan recorded this file meanwhile (offset {file.CommittedOffset} expected); run imaproot usage scan again");
            }
            Apply(batch);
            using (SqliteCommand update = Command(
                "UPDATE log_files SET path = $path, head = CASE WHEN length($head) > length(head) THEN $head ELSE head END, offset = $offset, "
                + "lines = lines + $lines, events = events + $events, malformed = malformed + $malformed, complete = $complete, scanned_at = $now WHERE id = $id", transaction))
            {
                update.Parameters.AddWithValue("$path", file.Path);
                update.Parameters.AddWithValue("$head", file.Head);
                update.Parameters.AddWithValue("$offset", file.Offset);
                update.Parameters.AddWithValue("$lines", file.Lines);
                update.Parameters.AddWithValue("$events", file.Events);
                update.Parameters.AddWithValue("$malformed", file.Malformed);
                update.Parameters.AddWithValue("$complete", file.Complete ? 1 : 0);
                update.Parameters.AddWithValue("$now", now);
                update.Parameters.AddWithValue("$id", file.Id);
                update.ExecuteNonQuery();
            }
            CrashPoint.Reached($"usage-in-commit-{_commits}");
            transaction.Commit();
            CrashPoint.Reached($"usage-after-commit-{_commits}");
            _commits++;
            file.CommittedOffset = file.Offset;
            file.Lines = file.Events = file.Malformed = 0;
            batch.Clear();
        }
        catch (SqliteException e)
        {
            throw new UsageStoreException($"{Path}: {e.Message.TrimEnd('.')}", e);
        }
    }

    public void Dispose() => _connection.Dispose();

    private SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
    {
        SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private void Execute(string sql, SqliteTransaction? transaction = null)
    {
        using SqliteCommand command = Command(sql, transaction);
        command.ExecuteNonQuery();
    }
}
