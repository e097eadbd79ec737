namespace DovecotRootHelper.Cli;

/// <summary>A file an option names for a list (<c>--users-from</c>, <c>--mailboxes-from</c>), <c>-</c> being stdin.</summary>
internal static class InputFile
{
    /// <summary>The whole text; a file that cannot be read fails the command with one line naming the option.</summary>
    public static string Read(string option, string file, TextReader standardInput)
    {
        try
        {
            return file == "-" ? standardInput.ReadToEnd() : File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailure(ExitCodes.Failed, $"{option} {file}: {e.Message}");
        }
    }
}
