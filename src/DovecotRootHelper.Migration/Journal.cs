using System.Globalization;
using System.Text;
using DovecotRootHelper.Posix;

namespace DovecotRootHelper.Migration;

/// <summary>
/// One user's migration journal: the whole plan, written and fsynced before the first move, then
/// records of steps done or undone, appended and fsynced in batches (<see cref="SavePending"/>),
/// and one fsynced record per phase reached. Lines are TAB-separated with \\, \t and \n escaped;
/// a torn last line (a crash mid-append) is ignored. The journal may lag the tree by the steps of
/// one batch, never lead it: resume and rollback look at both sides of every step, so a step done
/// but not recorded is found in place and skipped.
/// </summary>
public sealed class Journal
{
    // Far more than a migration of 100,000 mailboxes writes; bounded so a planted file cannot exhaust memory.
    private const long MaxSize = 512L * 1024 * 1024;

    private readonly HashSet<int> _done = [];

    // Step records not yet appended: written and fsynced together by SavePending or the next phase.
    private readonly StringBuilder _pending = new();

    private Journal(string path, MigrationPlan plan)
    {
        Path = path;
        Plan = plan;
    }

    public string Path { get; }

    public MigrationPlan Plan { get; }

    /// <summary>The last phase recorded: planned, moved, verified, migrated, complete, rollback, rolled-back.</summary>
    public string Phase { get; private set; } = JournalPhase.Planned;

    /// <summary>True once a rollback was started from this journal.</summary>
    public bool RollingBack { get; private set; }

    /// <summary>Step indexes whose effect is in place (done and not undone).</summary>
    public IReadOnlySet<int> Done => _done;

    public static string PathFor(string directory, string user) => System.IO.Path.Combine(directory, user + ".journal");

    /// <summary>Writes the plan atomically (temporary file, fsync, rename, fsync directory).</summary>
    public static Journal Create(string directory, MigrationPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        EnsureDirectory(directory);
        string path = PathFor(directory, plan.User);
        Sys.ReplaceFile(path, Encoding.UTF8.GetBytes(Serialize(plan)), FileModes.UserReadWrite);
        return new Journal(path, plan);
    }

    /// <summary>
    /// Creates the journal directory (0700) or checks the one there: <see cref="TrustedDirectory"/>'s
    /// rule, since whoever can put a file in it can make root rename files.
    /// </summary>
    /// <exception cref="JournalException">It breaks the rule; the message names it and says how.</exception>
    public static void EnsureDirectory(string directory)
    {
        try
        {
            TrustedDirectory.Ensure(directory, FileModes.UserAll);
        }
        catch (UntrustedFileException e)
        {
            throw DirectoryRefused(e);
        }
    }

    /// <summary>
    /// The user's journal, or null when there is none. The directory and the file must pass the trust
    /// rule (<see cref="TrustedDirectory"/>, <see cref="TrustedFile"/>) before a byte is read; whether
    /// it describes the account as it is now is <see cref="RequireDescribes"/>.
    /// </summary>
    /// <exception cref="JournalException">The directory or the file is refused, or the file is not a journal.</exception>
    public static Journal? Open(string directory, string user)
    {
        string path = PathFor(directory, user);
        return ReadRecord(directory, path, MaxSize) is { } text ? Parse(path, text) : null;
    }

    /// <summary>
    /// The text of a record root keeps in journal-dir (a journal, a conversion's record), or null when
    /// the directory or the file is not there. Both must pass the trust rule before a byte is read.
    /// </summary>
    /// <exception cref="JournalException">The directory or the file is refused.</exception>
    internal static string? ReadRecord(string directory, string path, long maxSize)
    {
        try
        {
            if (!TrustedDirectory.CheckIfExists(directory))
                return null;
        }
        catch (UntrustedFileException e)
        {
            throw DirectoryRefused(e);
        }
        FileStatus? link = Sys.LinkStatusOrNull(path);
        if (link is null)
            return null;
        if (link.Value.IsSymbolicLink)
            throw FileRefused(path, "refused: a symbolic link");
        try
        {
            return Encoding.UTF8.GetString(TrustedFile.Read(path, maxSize, out _).Span);
        }
        catch (UntrustedFileException e)
        {
            throw FileRefused(path, e.Problem);
        }
    }

    /// <summary>The home as records keep it: without a trailing slash, "/" for the root.</summary>
    internal static string HomeOf(UnixAccount account) => account.Home.TrimEnd('/') is "" ? "/" : account.Home.TrimEnd('/');

    /// <summary>
    /// Refuses a journal that names another user, uid, gid or home than the account database gives
    /// now: its steps are paths relative to that home, done with that owner's identity checks.
    /// </summary>
    /// <exception cref="JournalException">It does not describe <paramref name="account"/>.</exception>
    public void RequireDescribes(UnixAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        string home = HomeOf(account);
        if (Plan.User == account.Name && Plan.Uid == account.Uid && Plan.Gid == account.Gid && Plan.Home == home)
            return;
        throw FileRefused(Path, $"refused: written for user {Plan.User} uid {Plan.Uid} gid {Plan.Gid} home {Plan.Home}, "
            + $"but the account database has user {account.Name} uid {account.Uid} gid {account.Gid} home {home}");
    }

    /// <summary>Step records waiting for <see cref="SavePending"/>.</summary>
    public int PendingSteps { get; private set; }

    /// <summary>
    /// Records that step <paramref name="index"/> is done (or undone); the record reaches the disk
    /// with the next <see cref="SavePending"/> or phase, after the caller has made the step durable.
    /// </summary>
    public void RecordStep(int index, bool undone = false)
    {
        _pending.Append(undone ? "undone\t" : "done\t").Append(index.ToString(CultureInfo.InvariantCulture)).Append('\n');
        PendingSteps++;
        if (undone)
            _done.Remove(index);
        else
            _done.Add(index);
    }

    /// <summary>Appends and fsyncs the step records made since the last save.</summary>
    public void SavePending()
    {
        if (PendingSteps == 0)
            return;
        Append("");
    }

    /// <summary>Records a phase, with the step records before it, fsynced before returning.</summary>
    public void RecordPhase(string phase)
    {
        Append($"phase\t{phase}\n");
        Phase = phase;
        if (phase == JournalPhase.Rollback)
            RollingBack = true;
    }

    /// <summary>Removes the journal once a rollback has finished: nothing is left to resume.</summary>
    public void Delete()
    {
        Sys.UnlinkIfExists(Path);
        Sys.SyncDirectory(System.IO.Path.GetDirectoryName(Path) ?? "/");
    }

    public JournalSummary Summary() => new(Plan.User, Path, Phase, _done.Count, Plan.Steps.Count, RollingBack);

    private static JournalException DirectoryRefused(UntrustedFileException e) =>
        new($"{e.Message}; journal-dir must be a directory of root's that only root can write (chown root, chmod 700); no journal in it is used", e);

    private static JournalException FileRefused(string path, string problem) =>
        new($"{path}: {problem}; nothing was touched: find out who wrote it, then remove it or fix it by hand");

    private void Append(string lines)
    {
        _pending.Append(lines);
        using FileDescriptor fd = Sys.OpenAppend(Path, FileModes.UserReadWrite);
        Sys.WriteAll(fd.Number, Encoding.UTF8.GetBytes(_pending.ToString()), Path);
        Sys.Sync(fd, Path);
        _pending.Clear();
        PendingSteps = 0;
    }

    /// <summary>The plan as the journal's first lines (<see cref="JournalFormat"/>).</summary>
    internal static string Serialize(MigrationPlan plan) => JournalFormat.Serialize(plan);

    /// <summary>Reads a journal back: its plan, then the step and phase records replayed (<see cref="JournalFormat"/>).</summary>
    internal static Journal Parse(string path, string text) => JournalFormat.Parse(path, text, plan => new Journal(path, plan));

    /// <summary>Replays one record read back; false when the kind is not a record's.</summary>
    internal bool Replay(string kind, string value)
    {
        switch (kind)
        {
            case "done": _done.Add(int.Parse(value, CultureInfo.InvariantCulture)); return true;
            case "undone": _done.Remove(int.Parse(value, CultureInfo.InvariantCulture)); return true;
            case "phase":
                Phase = value;
                RollingBack |= value == JournalPhase.Rollback;
                return true;
            default: return false;
        }
    }
}
