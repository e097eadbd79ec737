using System.Globalization;
using System.Text;
using DovecotRootHelper.Cli.Reports;
using DovecotRootHelper.Migration;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Cli.Commands;

/// <summary>
/// <c>imaproot migrate</c> of several users: runs the batch, prints its report (a line per user, or
/// <c>--json</c>) and keeps it in the journal directory as <c>batch-TIME.txt</c> and
/// <c>batch-TIME.json</c> (<c>batch-TIME-2</c>... when that second's are taken: <see cref="KeptReport"/>).
/// Exit 0 when every user migrated, 1 when any failed.
/// </summary>
internal static class BatchCommand
{
    public static int Run(CommandContext context, UserMigration migration, ProgressDisplay? progress, List<UnixAccount> accounts, MailboxSelection selection)
    {
        BatchResult result = migration.MigrateBatch(accounts, selection);
        progress?.EndLine();
        return Show(context, result);
    }

    /// <summary>Prints the batch's report and keeps it in the journal directory; the exit code.</summary>
    public static int Show(CommandContext context, BatchResult result)
    {
        string stamp = UtcTimestamp.FormatForName(result.Started);
        KeptReport? kept = null;
        try
        {
            kept = KeptReport.Create(context.Config.Migration.JournalDirectory, $"batch-{stamp}");
        }
        catch (IOException e)
        {
            Imaproot.Fail(context.Console, ExitCodes.Failed, $"the batch report could not be kept: {e.Message}");
        }
        BatchReport report = Report(result, kept?.TextPath);
        string text = Text(report);
        string json = System.Text.Json.JsonSerializer.Serialize(report, ImaprootJson.Output.BatchReport);
        using (kept)
        {
            try
            {
                kept?.Write(text, json + "\n");
            }
            catch (IOException e)
            {
                Imaproot.Fail(context.Console, ExitCodes.Failed, $"the batch report could not be kept: {e.Message}");
            }
        }
        foreach (BatchOutcome failed in report.Results.Where(r => r.Error is not null))
            Imaproot.Fail(context.Console, ExitCodes.Failed, failed.Error!);
        context.Console.Out.Write(context.Json ? json + "\n" : text);
        return result.Failed == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }

    // Start and end to the millisecond, and the duration between the two as written, so that the
    // three add up (a 1.1 s batch once read 11:11:03Z to 11:11:05Z).
    private static BatchReport Report(BatchResult result, string? keptAt) => new(
        UtcTimestamp.FormatMilliseconds(result.Started),
        UtcTimestamp.FormatMilliseconds(result.Finished),
        (ToMillisecond(result.Finished) - ToMillisecond(result.Started)).TotalSeconds,
        result.Migrated,
        result.Failed,
        keptAt,
        [.. result.Members.Select(m => new BatchOutcome(
            m.User, m.FinalState?.ToName(), m.Error is null ? null : Imaproot.OneLine(m.Error), m.Mailboxes, m.BytesMoved,
            m.FinalState is null ? 0 : m.Steps, m.Steps, Math.Round(m.Duration.TotalSeconds, 3), Math.Round(m.LoginsRefused.TotalSeconds, 3), m.Messages))]);

    private static DateTime ToMillisecond(DateTime utc) => new(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), utc.Kind);

    private static string Text(BatchReport report)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"batch of {report.Results.Count} user(s), {report.Started} to {report.Finished} ({report.Seconds:0.000} s): {report.Migrated} migrated, {report.Failed} failed ({(report.KeptAt is null ? "report not kept" : "report kept at " + report.KeptAt)})\n");
        foreach (BatchOutcome user in report.Results)
        {
            foreach (string message in user.Messages)
                text.Append(CultureInfo.InvariantCulture, $"{user.User}: {PrintableText.Escape(message)}\n");
            text.Append(user.Error is null
                ? string.Create(CultureInfo.InvariantCulture, $"{user.User}: migrated: {user.Mailboxes} mailbox(es), {user.BytesMoved} bytes, {user.StepCount} step(s) in {user.Seconds:0.000} s; logins refused {user.LoginsRefusedSeconds:0.000} s\n")
                : string.Create(CultureInfo.InvariantCulture, $"{user.User}: failed: {PrintableText.Escape(user.Error)}\n"));
        }
        return text.ToString();
    }
}
