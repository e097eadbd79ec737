namespace DovecotRootHelper.Cli;

/// <summary>The imaproot entry point: the real console and the real migration library.</summary>
internal static class Program
{
    private static int Main(string[] args) =>
        Imaproot.Run(args, CliConsole.System, (config, observer) => new LibraryMigrations(config, observer));
}
