namespace DovecotRootHelper.Migration;

/// <summary>How a configured command ended: its words as run, exit code and output, or why it did not run.</summary>
public sealed record CommandRun(string Command, TimeSpan Timeout, CommandOutcome Outcome, int ExitCode, string Output, string Error, string? StartError)
{
    /// <summary>True when it ran and exited 0.</summary>
    public bool Succeeded => Outcome == CommandOutcome.Exited && ExitCode == 0;

    /// <summary>
    /// Why the command did not succeed, in one line; null when it exited 0 or none is configured.
    /// Two phrasings, both read by admins and their scripts: <see cref="FailureWording"/>.
    /// </summary>
    public string? Failure(FailureWording wording = FailureWording.Refusal) => (Outcome, wording) switch
    {
        (CommandOutcome.NotConfigured, _) => null,
        (CommandOutcome.NotStarted, FailureWording.Warning) => $"cannot run '{Command}': {StartError}",
        (CommandOutcome.NotStarted, _) => $"'{Command}' could not be started ({StartError})",
        (CommandOutcome.TimedOut, FailureWording.Warning) => $"'{Command}' did not finish in {Timeout.TotalSeconds:0} s; killed",
        (CommandOutcome.TimedOut, _) => $"'{Command}' hung: killed after {Timeout.TotalSeconds:0} s",
        _ when ExitCode == 0 => null,
        (_, FailureWording.Warning) => $"'{Command}' exited {ExitCode}: {FirstLine}",
        _ => $"'{Command}' exited with {ExitCode}: {FirstLine}",
    };

    /// <summary>The first line of its stderr, else of its stdout, else "no output".</summary>
    private string FirstLine => FirstLineOf(Error) ?? FirstLineOf(Output) ?? "no output";

    private static string? FirstLineOf(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
}
