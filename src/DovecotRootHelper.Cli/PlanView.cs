using DovecotRootHelper.Cli.Reports;
using DovecotRootHelper.Mailboxes;
using DovecotRootHelper.Migration;

namespace DovecotRootHelper.Cli;

/// <summary>A <see cref="MigrationPlan"/> as imaproot shows it: the JSON report and the human text.</summary>
internal static class PlanView
{
    public static PlanReport Report(MigrationPlan plan, Configuration.MigrationSettings settings) => new(
        plan.User,
        plan.Uid,
        plan.Gid,
        plan.Home,
        plan.LegacyRoot,
        plan.MigratedRoot,
        plan.CanExecute,
        plan.Mailboxes.Select(m => new MailboxReport(m.Name, m.DisplayName, Evidence(m.Evidence), Disposition(m.Disposition))).ToList(),
        plan.Steps.Select(Step).ToList(),
        plan.Notes.Select(n => new PathReason(n.Path, n.Reason)).ToList(),
        plan.Conflicts.Select(c => new PathReason(c.Path, c.Reason)).ToList(),
        plan.FilterReferences.Select(r => new FilterReferenceReport(r.File, r.Line, r.Written, r.Moves, r.MovesTo, Resolution(r.Resolution))).ToList(),
        SessionControl.Describe(settings, plan.User));

    /// <summary>A root relative to the home as the location templates write it: <c>~</c>, <c>~/IMAP</c>.</summary>
    private static string InHome(string root) => root.Length == 0 ? "~" : "~/" + root;

    public static void Print(TextWriter writer, PlanReport plan)
    {
        var output = new VisibleText(writer);
        output.WriteLine($"{plan.User} (uid {plan.Uid}, home {plan.Home}): {InHome(plan.LegacyRoot)} -> {InHome(plan.MigratedRoot)}");
        output.WriteLine($"mailboxes ({plan.Mailboxes.Count}):");
        int width = plan.Mailboxes.Count == 0 ? 0 : plan.Mailboxes.Max(m => m.Name.Length);
        foreach (MailboxReport mailbox in plan.Mailboxes)
        {
            string shown = mailbox.DisplayName == mailbox.Name ? mailbox.Name.PadRight(width) : $"{mailbox.Name.PadRight(width)}  ({mailbox.DisplayName})";
            output.WriteLine($"  {shown}  [{string.Join(',', mailbox.Evidence)}]  {mailbox.Disposition}");
        }
        output.WriteLine($"steps ({plan.Steps.Count}):");
        for (int i = 0; i < plan.Steps.Count; i++)
            output.WriteLine($"  {i + 1,3}. {plan.Steps[i].Description}");
        if (plan.Notes.Count > 0)
        {
            output.WriteLine($"left in place ({plan.Notes.Count}):");
            foreach (PathReason note in plan.Notes)
                output.WriteLine($"  {note.Path}: {note.Reason}");
        }
        if (plan.FilterReferences.Count > 0)
        {
            output.WriteLine($"mail filters naming what moves ({plan.FilterReferences.Count}):");
            foreach (FilterReferenceReport reference in plan.FilterReferences)
                output.WriteLine($"  {reference.File}:{reference.Line}: {reference.Written} -> {reference.Moves} moves to {reference.MovesTo}: {reference.Resolution}");
        }
        if (plan.Conflicts.Count > 0)
        {
            output.WriteLine($"conflicts ({plan.Conflicts.Count}):");
            foreach (PathReason conflict in plan.Conflicts)
                output.WriteLine($"  {conflict.Path}: {conflict.Reason}");
        }
        output.WriteLine(plan.Sessions);
        output.WriteLine(plan.CanExecute
            ? $"{plan.User}: can migrate ({plan.Steps.Count} step(s))"
            : $"{plan.User}: cannot migrate: {plan.Conflicts.Count} conflict(s)");
    }

    private static List<string> Evidence(MailboxEvidence evidence)
    {
        var words = new List<string>();
        if (evidence.HasFlag(MailboxEvidence.Subscribed))
            words.Add("subscribed");
        if (evidence.HasFlag(MailboxEvidence.Indexed))
            words.Add("indexed");
        if (evidence.HasFlag(MailboxEvidence.Given))
            words.Add("given");
        if (evidence.HasFlag(MailboxEvidence.Logged))
            words.Add("logged");
        return words;
    }

    private static string Disposition(MailboxDisposition disposition) => disposition switch
    {
        MailboxDisposition.Moves => "moves",
        MailboxDisposition.Missing => "missing",
        MailboxDisposition.LeftInPlace => "left",
        MailboxDisposition.Folder => "folder",
        _ => disposition.ToString().ToLowerInvariant(),
    };

    private static string Resolution(FilterReferenceResolution resolution) => resolution switch
    {
        FilterReferenceResolution.Unresolved => "unresolved",
        FilterReferenceResolution.Symlink => "symlink left at the old path",
        FilterReferenceResolution.Confirmed => "confirmed",
        FilterReferenceResolution.ByName => "same name under the new root (all-services userdb)",
        _ => resolution.ToString().ToLowerInvariant(),
    };

    private static StepReport Step(PlanStep step) => step switch
    {
        CreateDirectory d => new StepReport("mkdir", d.Path, null, null, "directory", Mode(d.Mode), $"mkdir {d.Path} (mode {Mode(d.Mode)})"),
        MoveEntry m => new StepReport("move", null, m.From, m.To, m.Kind == EntryKind.Directory ? "directory" : "file", null,
            $"move {m.From} -> {m.To}{(m.Kind == EntryKind.Directory ? "/" : "")}"),
        CreateSymlink l => new StepReport("symlink", l.Path, null, l.Target, "symlink", null, $"symlink {l.Path} -> {l.Target} (for a mail filter)"),
        _ => new StepReport(step.GetType().Name, null, null, null, null, null, step.ToString() ?? step.GetType().Name),
    };

    private static string Mode(uint mode) => "0" + Convert.ToString(mode & 0xFFF, 8).PadLeft(3, '0');
}
