using System.Globalization;
using System.Text;
using DovecotRootHelper.Locations;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Migration;

/// <summary>
/// The schedule of migrations, <c>JOURNAL-DIR/schedule</c>: one line a user, <c>USER TAB TIME TAB
/// notify|quiet</c>, TIME in UTC (ISO 8601). Open it with <see cref="Lock"/>: every change is made
/// under <c>schedule.lock</c> and written atomically (temporary file, fsync, rename), so it
/// survives a crash or a reboot and two imaproot never lose each other's changes. The journal
/// directory's trust rule applies: the file must be root's and writable by nobody else; every USER
/// must pass <see cref="NameProblem"/>.
/// </summary>
public sealed class MigrationSchedule : IMigrationSchedule
{
    private const long MaxSize = 64L * 1024 * 1024;

    private readonly FileDescriptor _lock;
    private readonly List<ScheduledMigration> _entries;

    private MigrationSchedule(string path, FileDescriptor lockFile, List<ScheduledMigration> entries)
    {
        Path = path;
        _lock = lockFile;
        _entries = entries;
    }

    public string Path { get; }

    public string Name => Path;

    public IReadOnlyList<ScheduledMigration> Entries => _entries;

    public static string PathIn(string journalDirectory) => System.IO.Path.Combine(journalDirectory, "schedule");

    /// <summary>Locks the schedule (waiting for another imaproot to finish its change) and reads it.</summary>
    /// <exception cref="JournalException">The directory or the file breaks the trust rule, or a line is not a schedule line.</exception>
    public static MigrationSchedule Lock(string journalDirectory)
    {
        Journal.EnsureDirectory(journalDirectory);
        string path = PathIn(journalDirectory);
        FileDescriptor lockFile = Sys.OpenLockFile(path + ".lock", FileModes.UserReadWrite);
        try
        {
            Sys.LockExclusive(lockFile, path + ".lock");
            return new MigrationSchedule(path, lockFile, Read(path));
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Why <paramref name="user"/> cannot be on the schedule, or null: the state file's user-name
    /// rule (<see cref="UserName"/>), which also keeps the name a single file name in the journal
    /// directory (USER.lock, USER.journal). Checked when a user is scheduled and when the schedule is read.
    /// </summary>
    public static string? NameProblem(string user) => UserName.Problem(user) is { } problem ? $"user '{user}' {problem}" : null;

    /// <summary>Adds or moves the users' migrations to <paramref name="at"/>.</summary>
    /// <exception cref="ArgumentException">A name breaks <see cref="NameProblem"/>.</exception>
    public void Schedule(IEnumerable<string> users, DateTime at, bool notify, string? target = null)
    {
        ArgumentNullException.ThrowIfNull(users);
        foreach (string user in users)
        {
            if (NameProblem(user) is { } problem)
                throw new ArgumentException(problem, nameof(users));
            _entries.RemoveAll(e => e.User == user);
            _entries.Add(new ScheduledMigration(user, at.ToUniversalTime(), notify) { To = target });
        }
        Write();
    }

    /// <summary>Removes the users; returns those that were scheduled.</summary>
    public List<ScheduledMigration> Cancel(IEnumerable<string> users)
    {
        var wanted = users.ToHashSet(StringComparer.Ordinal);
        List<ScheduledMigration> removed = [.. _entries.Where(e => wanted.Contains(e.User))];
        _entries.RemoveAll(e => wanted.Contains(e.User));
        Write();
        return removed;
    }

    /// <summary>The migrations whose time has come at <paramref name="now"/>, earliest first.</summary>
    public List<ScheduledMigration> Due(DateTime now) => [.. _entries.Where(e => e.At <= now.ToUniversalTime()).OrderBy(e => e.At)];

    public void Dispose() => _lock.Dispose();

    private void Write()
    {
        var text = new StringBuilder();
        foreach (ScheduledMigration e in _entries.OrderBy(e => e.At).ThenBy(e => e.User, StringComparer.Ordinal))
            text.Append(CultureInfo.InvariantCulture, $"{e.User}\t{UtcTimestamp.Format(e.At)}\t{(e.Notify ? "notify" : "quiet")}{(e.To is null ? "" : "\tto=" + e.To)}\n");
        Sys.ReplaceFile(Path, Encoding.UTF8.GetBytes(text.ToString()), FileModes.UserReadWrite);
    }

    private static List<ScheduledMigration> Read(string path)
    {
        if (Sys.LinkStatusOrNull(path) is null)
            return [];
        string text;
        try
        {
            text = Encoding.UTF8.GetString(TrustedFile.Read(path, MaxSize, out _).Span);
        }
        catch (UntrustedFileException e)
        {
            throw new JournalException($"{path}: {e.Problem}; the schedule must be root's and writable by nobody else: nothing was done");
        }
        var entries = new List<ScheduledMigration>();
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
                continue;
            string[] f = lines[i].Split('\t');
            // A fourth field, to=TARGET, makes it a conversion (issue 22); older files have three.
            if (f.Length is < 3 or > 4 || f[0].Length == 0 || f[2] is not ("notify" or "quiet")
                || !UtcTimestamp.TryParse(f[1], out DateTime at)
                || (f.Length == 4 && (!f[3].StartsWith("to=", StringComparison.Ordinal) || TargetLocations.NameProblem(f[3][3..]) is not null)))
            {
                throw new JournalException($"{path} line {i + 1}: not USER<TAB>YYYY-MM-DDTHH:MM:SSZ<TAB>notify|quiet[<TAB>to=TARGET]; nothing was done: fix or remove the line");
            }
            if (NameProblem(f[0]) is { } problem)
                throw new JournalException($"{path} line {i + 1}: {problem}; nothing was done: fix or remove the line");
            entries.Add(new ScheduledMigration(f[0], at, f[2] == "notify") { To = f.Length == 4 ? f[3][3..] : null });
        }
        return entries;
    }
}
