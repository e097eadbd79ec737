using System.Globalization;
using System.Text;
using DovecotRootHelper.Mailboxes;

namespace DovecotRootHelper.Migration;

/// <summary>
/// A journal's text: the plan as TAB-separated lines (\\, \t and \n escaped) between the magic
/// line and <c>end</c>, then the records appended as the migration goes (<c>done N</c>,
/// <c>undone N</c>, <c>phase P</c>); a torn last line (a crash mid-append) is ignored.
/// </summary>
internal static class JournalFormat
{
    public const string Magic = "dovecot-root-helper journal 1";

    public static string Serialize(MigrationPlan plan)
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
    public static Journal Parse(string path, string text, Func<MigrationPlan, Journal> open)
    {
        int line = 0;
        try
        {
            return Parse(path, text, open, ref line);
        }
        catch (Exception e) when (e is IndexOutOfRangeException or FormatException or OverflowException or ArgumentException)
        {
            throw new JournalException($"{path} line {line}: malformed journal record; the journal is damaged, see what it says and repair or remove it by hand", e);
        }
    }

    private static Journal Parse(string path, string text, Func<MigrationPlan, Journal> open, ref int line)
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
        Journal journal = open(new MigrationPlan(user, uid, gid, home, legacy, migrated, mailboxes, steps, notes, []));
        for (; i < lines.Length - 1; i++)
        {
            line = i + 1;
            string[] f = lines[i].Split('\t');
            if (f.Length != 2)
                throw new JournalException($"{path} line {i + 1}: malformed record");
            if (!journal.Replay(f[0], f[1]))
                throw new JournalException($"{path} line {i + 1}: unexpected '{f[0]}'");
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
