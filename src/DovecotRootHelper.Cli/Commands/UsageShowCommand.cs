using System.Globalization;
using DovecotRootHelper.Cli.Reports;
using DovecotRootHelper.Mailboxes;
using DovecotRootHelper.Migration;
using DovecotRootHelper.Posix;
using DovecotRootHelper.Usage.Store;

namespace DovecotRootHelper.Cli.Commands;

/// <summary>
/// <c>imaproot usage show USER</c>: one row per mailbox name reconciling the subscriptions file,
/// the logs, the index directories and the files under the legacy root (as <c>plan</c> sees them),
/// with the disagreements marked.
/// </summary>
internal static class UsageShowCommand
{
    public static int Run(CommandContext context)
    {
        context.Arguments.Allow();
        if (context.Arguments.Operands.Count != 2)
            throw CommandFailure.Usage("usage: imaproot usage show USER");
        string user = context.Arguments.Operands[1];
        UnixAccount account = context.Account(user);
        string database = context.Config.Usage.Database;
        IReadOnlyList<MailboxUsage> logged;
        using (UsageStore? store = UsageStore.OpenExisting(database))
            logged = store?.Mailboxes(user) ?? throw new CommandFailure(ExitCodes.Failed, $"{database}: no usage database yet: run imaproot usage scan first");

        var notes = new List<string>();
        IReadOnlyList<Mailbox> onDisk = [];
        try
        {
            var everything = new MailboxSelection([], [new EveryLoggedName(logged)]);
            MigrationPlan plan = context.Migration().Plan(account, everything);
            onDisk = plan.Mailboxes;
        }
        catch (MigrationException e)
        {
            notes.Add($"the files were not looked at: {e.Message}");
        }

        var usage = logged.ToDictionary(m => m.Mailbox, StringComparer.Ordinal);
        var rows = new List<MailboxUseRow>();
        foreach (string name in onDisk.Select(m => m.Name).Concat(usage.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            Mailbox? mailbox = onDisk.FirstOrDefault(m => m.Name == name);
            usage.TryGetValue(name, out MailboxUsage? use);
            rows.Add(Row(name, mailbox, use));
        }
        var report = new UsageShowReport(user, database, context.Config.Usage.WindowDays, rows, notes);
        if (context.Json)
            context.Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(report, ImaprootJson.Output.UsageShowReport));
        else
            Print(context.Console.Out, report);
        return ExitCodes.Ok;
    }

    private static MailboxUseRow Row(string name, Mailbox? mailbox, MailboxUsage? use)
    {
        MailboxEvidence evidence = mailbox?.Evidence ?? MailboxEvidence.None;
        bool subscribed = evidence.HasFlag(MailboxEvidence.Subscribed);
        bool indexed = evidence.HasFlag(MailboxEvidence.Indexed);
        bool onDisk = mailbox is { Disposition: not MailboxDisposition.Missing };
        bool isMbox = mailbox is { Disposition: MailboxDisposition.Moves };
        long count = use?.Count ?? 0;
        var disagreements = new List<string>();
        if (subscribed && count == 0)
            disagreements.Add("subscribed but never used");
        if (count > 0 && !subscribed && name != "INBOX")
            disagreements.Add("used but not subscribed");
        if (indexed && mailbox is { Disposition: MailboxDisposition.LeftInPlace })
            disagreements.Add("indexed but not mail");
        if (count > 0 && mailbox is { Disposition: MailboxDisposition.Missing } && use is { IsGone: false })
            disagreements.Add("used but not on disk");
        return new MailboxUseRow(
            name, ModifiedUtf7.Decode(name), subscribed, count, Date(use?.LastSeen),
            use?.Commands ?? new Dictionary<string, long>(), indexed, onDisk, isMbox,
            Date(use?.Created), Date(use?.Deleted), use?.RenamedFrom, use?.RenamedTo, disagreements);
    }

    private static void Print(TextWriter writer, UsageShowReport report)
    {
        var output = new VisibleText(writer);
        output.WriteLine($"{report.User}: {report.Mailboxes.Count} mailbox name(s); '!' marks a disagreement");
        int width = Math.Max(7, report.Mailboxes.Count == 0 ? 0 : report.Mailboxes.Max(m => m.DisplayName.Length));
        output.WriteLine($"  {"MAILBOX".PadRight(width)}  SUBSCRIBED  LAST SEEN   COUNT  INDEXED  ON DISK  MBOX  NOTES");
        foreach (MailboxUseRow row in report.Mailboxes)
        {
            var notes = new List<string>(row.Disagreements);
            if (row.Deleted is not null)
                notes.Add($"deleted {row.Deleted}");
            if (row.RenamedTo is not null)
                notes.Add($"renamed to {ModifiedUtf7.Decode(row.RenamedTo)}");
            if (row.RenamedFrom is not null)
                notes.Add($"renamed from {ModifiedUtf7.Decode(row.RenamedFrom)}");
            if (row.Commands.Count > 0)
                notes.Add(string.Join(", ", row.Commands.OrderByDescending(c => c.Value).Select(c => $"{c.Key} {c.Value}")));
            output.WriteLine(
                $"{(row.Disagreements.Count > 0 ? "!" : " ")} {row.DisplayName.PadRight(width)}  {YesNo(row.Subscribed),-10}  {row.LastSeen ?? "never",-10}  {row.LoggedCount,5}  "
                + $"{YesNo(row.Indexed),-7}  {YesNo(row.OnDisk),-7}  {YesNo(row.IsMbox),-4}  {string.Join("; ", notes)}".TrimEnd());
        }
        foreach (string note in report.Notes)
            output.WriteLine($"note: {note}");
    }

    private static string YesNo(bool value) => value ? "yes" : "no";

    private static string? Date(long? time) =>
        time is { } t ? DateTimeOffset.FromUnixTimeSeconds(t).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null;

    // Every name the logs ever saw, for reconciling (the plan's own source keeps only the window).
    private sealed class EveryLoggedName(IReadOnlyList<MailboxUsage> logged) : IMailboxEvidenceSource
    {
        public MailboxEvidence Kind => MailboxEvidence.Logged;

        public IEnumerable<string> MailboxNames(string user) => logged.Select(m => m.Mailbox);
    }
}
