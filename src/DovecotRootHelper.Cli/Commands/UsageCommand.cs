using DovecotRootHelper.Cli.Reports;
using DovecotRootHelper.Usage.Logs;
using DovecotRootHelper.Usage.Scan;
using DovecotRootHelper.Usage.Store;

namespace DovecotRootHelper.Cli.Commands;

/// <summary><c>imaproot usage scan [FILE...]</c> and <c>imaproot usage show USER</c>: mailbox-use evidence from Dovecot's logs.</summary>
internal static class UsageCommand
{
    /// <summary>The words after <c>usage</c> and what runs each.</summary>
    public static readonly IReadOnlyDictionary<string, Func<CommandContext, int>> Verbs = new Dictionary<string, Func<CommandContext, int>>(StringComparer.Ordinal)
    {
        ["scan"] = Scan,
        ["show"] = UsageShowCommand.Run,
    };

    public static int Run(CommandContext context)
    {
        string? verb = context.Arguments.Operands.Count > 0 ? context.Arguments.Operands[0] : null;
        return verb is not null && Verbs.TryGetValue(verb, out Func<CommandContext, int>? run)
            ? run(context)
            : throw CommandFailure.Usage("usage: imaproot usage scan [FILE...] | usage show USER");
    }

    private static int Scan(CommandContext context)
    {
        context.Arguments.Allow("--yes");
        List<string> given = context.Arguments.Operands.Skip(1).ToList();
        IReadOnlyList<string> files = given.Count > 0 ? given : LogFiles.Expand(context.Config.Usage.Logs);
        var parser = new LogLineParser(new MailboxNaming(context.Config.Usage.NamespacePrefix, context.Config.Usage.Separator));
        var display = new ScanProgress(context.Console.Error, context.Console.OutputIsTerminal && !context.Json);
        List<FileScanResult> results;
        using (UsageStore store = UsageStore.Open(context.Config.Usage.Database))
            results = new LogScan(store, parser, display).Run(files);
        display.EndLine();

        var report = new UsageScanReport(
            context.Config.Usage.Database,
            [.. results.Select(r => new ScannedFile(r.Path, r.Outcome, r.Compressed, r.FromOffset, r.ToOffset, r.Lines, r.Events, r.Malformed, r.FirstMalformedLine))],
            results.Sum(r => r.Lines), results.Sum(r => r.Events), results.Sum(r => r.Malformed));
        if (context.Json)
        {
            context.Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(report, ImaprootJson.Output.UsageScanReport));
        }
        else
        {
            foreach (ScannedFile file in report.Files)
            {
                context.Console.Out.WriteLine(file.Outcome == "read"
                    ? $"{file.Path}: read bytes {file.FromOffset}-{file.ToOffset}{(file.Compressed ? " (decompressed)" : "")}: {file.Lines} line(s), {file.Events} event(s), {file.Malformed} malformed"
                        + (file.FirstMalformedLine is { } line ? $" (the first at {file.Path}:{line})" : "")
                    : $"{file.Path}: {file.Outcome}");
            }
            context.Console.Out.WriteLine($"{report.Database}: {report.Events} event(s) from {report.Lines} line(s); {report.Malformed} malformed line(s) skipped");
        }
        if (files.Count == 0)
            return Imaproot.Fail(context.Console, ExitCodes.Failed, $"no log files match [usage] logs = {string.Join(' ', context.Config.Usage.Logs)}");
        ScannedFile? missing = report.Files.FirstOrDefault(f => f.Outcome == "missing" && given.Contains(f.Path));
        return missing is null ? ExitCodes.Ok : Imaproot.Fail(context.Console, ExitCodes.Failed, $"{missing.Path}: no such file");
    }
}
