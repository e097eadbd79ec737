namespace DovecotRootHelper.LoginHook;

/// <summary>The login hook's entry point: Dovecot runs it on every login.</summary>
internal static class Program
{
    private static int Main(string[] args) => PostLoginScript.Run(Environment.GetCommandLineArgs()[0], args, LoginEnvironment.Current());
}
