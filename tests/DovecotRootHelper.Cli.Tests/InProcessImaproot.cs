using DovecotRootHelper.Posix;

namespace DovecotRootHelper.Cli.Tests;

/// <summary>imaproot's command layer in this process, over the real library, with a captured console.</summary>
internal static class InProcessImaproot
{
    public static CliRun Run(string configPath, Func<string, UnixAccount?> findAccount, string[] arguments, string stdin = "", bool terminal = false)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = new CliConsole(new StringReader(stdin), output, error, terminal, terminal);
        int exitCode = Imaproot.Run(["--config", configPath, .. arguments], console, findAccount);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }
}
