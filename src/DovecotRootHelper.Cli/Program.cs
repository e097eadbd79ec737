using DovecotRootHelper.Posix;

namespace DovecotRootHelper.Cli;

/// <summary>The imaproot entry point: the real console and the system's accounts (getpwnam).</summary>
internal static class Program
{
    private static int Main(string[] args) => Imaproot.Run(args, CliConsole.System, UnixAccount.Find);
}
