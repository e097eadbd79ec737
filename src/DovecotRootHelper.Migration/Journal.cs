using System.Globalization;
using System.Text;
using DovecotRootHelper.Posix;

namespace DovecotRootHelper.Migration;

/// <summary>
/// One user's migration journal: the whole plan, written and fsynced before the first move, then
/// one fsynced record per step done or undone and per phase reached. Lines are TAB-separated with
/// \\, \t and \n escaped; a torn last line (a crash mid-append) is ignored, so the journal always
/// describes a state the tree is in or one step behind it, which the idempotent steps absorb.
/// </summary>
public sealed class Journal
{
    private const string Magic = "dovecot-root-helper journal 1";

    private readonly HashSet<int> _done = [];

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
        Sys.EnsureDirectory(directory, FileModes.UserAll);
        string path = PathFor(directory, plan.User);
        Sys.ReplaceFile(path, Encoding.UTF8.GetBytes(Serialize(plan)), FileModes.UserReadWrite);
        return new Journal(path, plan);
    }

    /// <summary>The user's journal, or null when there is none.</summary>
    public static Journal? Open(string directory, string user)
    {
        string path = PathFor(directory, user);
        if (Sys.LinkStatusOrNull(path) is null)
            return null;
        string text;
        using (FileDescriptor fd = Sys.OpenReadOnly(path))
            text = Encoding.UTF8.GetString(Sys.ReadToEnd(fd, Sys.Status(fd, path).Size, path).Span);
        return Parse(path, text);
    }

    /// <summary>Records that step <paramref name="index"/> is done (or undone), fsynced before returning.</summary>
    public void RecordStep(int index, bool undone = false)
    {
        Append($"{(undone ? "undone" : "done")}\t{index.ToString(CultureInfo.InvariantCulture)}");
        if (undone)
            _done.Remove(index);
        else
            _done.Add(index);
    }

    public void RecordPhase(string phase)
    {
        Append($"phase\t{phase}");
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

    private void Append(string line)
    {
        using FileDescriptor fd = Sys.OpenAppend(Path, FileModes.UserReadWrite);
        Sys.WriteAll(fd.Number, Encoding.UTF8.GetBytes(line + "\n"), Path);
        Sys.Sync(fd, Path);
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
