using System.Globalization;
using System.Text;
using DovecotRootHelper.Mailboxes;
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

    private const string Magic = "dovecot-root-helper journal 1";

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
        try
        {
            if (!TrustedDirectory.CheckIfExists(directory))
                return null;
        }
        catch (UntrustedFileException e)
        {
            throw DirectoryRefused(e);
        }
        string path = PathFor(directory, user);
        FileStatus? link = Sys.LinkStatusOrNull(path);
        if (link is null)
            return null;
        if (link.Value.IsSymbolicLink)
            throw FileRefused(path, "refused: a symbolic link");
        string text;
        try
        {
            text = Encoding.UTF8.GetString(TrustedFile.Read(path, MaxSize, out _).Span);
        }
        catch (UntrustedFileException e)
        {
            throw FileRefused(path, e.Problem);
        }
        return Parse(path, text);
    }

    /// <summary>
    /// Refuses a journal that names another user, uid, gid or home than the account database gives
    /// now: its steps are paths relative to that home, done with that owner's identity checks.
    /// </summary>
    /// <exception cref="JournalException">It does not describe <paramref name="account"/>.</exception>
    public void RequireDescribes(UnixAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        string home = account.Home.TrimEnd('/') is "" ? "/" : account.Home.TrimEnd('/');
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

    internal static string Serialize(MigrationPlan plan)
    {
        var text = new StringBuilder();
        void Line(params string[] fields) => text.Append(string.Join('\t', fields.Select(Escape))).Append('\n');
        string N(long n) => n.ToString(CultureInfo.InvariantCulture);
        Line(Magic);
        Line("user", plan.User, N(plan.Uid), N(plan.Gid));
        Line("home", plan.Home);
        Line("roots", plan.LegacyRoot, plan.MigratedRoot);
        foreach (Mailbox m in plan.Mailboxes)
            Line("mailbox", m.Name, N((int)m.Evidence), N((int)m.Disposition));
        foreach (PlanNote note in plan.Notes)
            Line("note", note.Path, note.Reason);
        foreach (PlanStep step in plan.Steps)
        {
            if (step is CreateDirectory c)
                Line("mkdir", c.Path, N(c.Mode));
            else if (step is CreateSymlink l)
                Line("symlink", l.Path, l.Target);
            else if (step is MoveEntry m)
                Line("move", m.From, m.To, m.Kind == EntryKind.File ? "file" : "dir", N((long)m.Identity.Device), N((long)m.Identity.Inode), N(m.Identity.Size), N(m.Identity.MtimeSeconds), N(m.Identity.MtimeNanoseconds));
        }
        Line("end", N(plan.Steps.Count));
        return text.ToString();
    }

    /// <summary>
    /// Reads a journal back; any line that is not what <see cref="Serialize"/> and the appends write
    /// (a missing field, a number that is not one) is a <see cref="JournalException"/> naming the line.
    /// </summary>
    internal static Journal Parse(string path, string text)
    {
        int line = 0;
        try
        {
            return Parse(path, text, ref line);
        }
        catch (Exception e) when (e is IndexOutOfRangeException or FormatException or OverflowException or ArgumentException)
        {
            throw new JournalException($"{path} line {line}: malformed journal record; the journal is damaged, see what it says and repair or remove it by hand", e);
        }
    }

    private static Journal Parse(string path, string text, ref int line)
    {
        string[] lines = text.Split('\n');
        // The last element is what follows the final newline: empty, or a torn record.
        if (lines.Length < 2 || lines[0] != Magic)
            throw new JournalException($"{path}: not a migration journal");
        string user = "", home = "", legacy = "", migrated = "";
        uint uid = 0, gid = 0;
        var mailboxes = new List<Mailbox>();
        var notes = new List<PlanNote>();
        var steps = new List<PlanStep>();
        int i = 1;
        bool ended = false;
        for (; i < lines.Length - 1 && !ended; i++)
        {
            line = i + 1;
            string[] f = lines[i].Split('\t').Select(Unescape).ToArray();
            switch (f[0])
            {
                case "user": (user, uid, gid) = (f[1], uint.Parse(f[2], CultureInfo.InvariantCulture), uint.Parse(f[3], CultureInfo.InvariantCulture)); break;
                case "home": home = f[1]; break;
                case "roots": (legacy, migrated) = (f[1], f[2]); break;
                case "mailbox": mailboxes.Add(new Mailbox(f[1], ModifiedUtf7.Decode(f[1]), (MailboxEvidence)int.Parse(f[2], CultureInfo.InvariantCulture), (MailboxDisposition)int.Parse(f[3], CultureInfo.InvariantCulture))); break;
                case "note": notes.Add(new PlanNote(f[1], f[2])); break;
                case "symlink": steps.Add(new CreateSymlink(f[1], f[2])); break;
                case "mkdir": steps.Add(new CreateDirectory(f[1], uint.Parse(f[2], CultureInfo.InvariantCulture))); break;
                case "move":
                    steps.Add(new MoveEntry(f[1], f[2], f[3] == "file" ? EntryKind.File : EntryKind.Directory, new ObjectIdentity(
                        ulong.Parse(f[4], CultureInfo.InvariantCulture), ulong.Parse(f[5], CultureInfo.InvariantCulture), long.Parse(f[6], CultureInfo.InvariantCulture),
                        long.Parse(f[7], CultureInfo.InvariantCulture), long.Parse(f[8], CultureInfo.InvariantCulture))));
                    break;
                case "end": ended = int.Parse(f[1], CultureInfo.InvariantCulture) == steps.Count; break;
                default: throw new JournalException($"{path} line {i + 1}: unexpected '{f[0]}'");
            }
        }
        if (!ended)
            throw new JournalException($"{path}: the plan is incomplete (truncated?)");
        var journal = new Journal(path, new MigrationPlan(user, uid, gid, home, legacy, migrated, mailboxes, steps, notes, []));
        for (; i < lines.Length - 1; i++)
        {
            line = i + 1;
            string[] f = lines[i].Split('\t');
            if (f.Length != 2)
                throw new JournalException($"{path} line {i + 1}: malformed record");
            switch (f[0])
            {
                case "done": journal._done.Add(int.Parse(f[1], CultureInfo.InvariantCulture)); break;
                case "undone": journal._done.Remove(int.Parse(f[1], CultureInfo.InvariantCulture)); break;
                case "phase":
                    journal.Phase = f[1];
                    journal.RollingBack |= f[1] == JournalPhase.Rollback;
                    break;
                default: throw new JournalException($"{path} line {i + 1}: unexpected '{f[0]}'");
            }
        }
        return journal;
    }

    private static string Escape(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Unescape(string s)
    {
        if (!s.Contains('\\', StringComparison.Ordinal))
            return s;
        var result = new StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 1 < s.Length)
            {
                i++;
                result.Append(s[i] switch { 't' => '\t', 'n' => '\n', _ => s[i] });
            }
            else
            {
                result.Append(s[i]);
            }
        }
        return result.ToString();
    }
}
