namespace DovecotRootHelper.Cli;

/// <summary>An expected failure: one line for stderr and the exit code that goes with it.</summary>
internal sealed class CommandFailure(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public static CommandFailure Usage(string message) => new(ExitCodes.Usage, message);

    public static CommandFailure UnknownUser(string user) => new(ExitCodes.UnknownUser, $"{user}: no such user");

    public static CommandFailure NotAllowed(string message) => new(ExitCodes.NotAllowedNow, message);
}
