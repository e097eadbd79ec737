namespace DovecotRootHelper.Cli.Reports;

/// <summary>How the auth cache flush went: its exit code, or why it could not run (a warning, not a failure).</summary>
internal sealed record FlushOutcome(string Command, int? ExitCode, string? Warning);
