namespace DovecotRootHelper.LoginHook;

/// <summary>The login hook's entry point: Dovecot runs it on every login.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        LoginEnvironment env = LoginEnvironment.Current();
        string argv0 = Environment.GetCommandLineArgs()[0];
        switch (InvocationModes.Detect(env, args.Length))
        {
            case InvocationMode.PostLogin:
                return PostLoginScript.Run(argv0, args, env);
            case InvocationMode.PostLoginService:
                return PostLoginService.Run(argv0, env);
            case InvocationMode.CheckpasswordUserdb:
                return CheckpasswordUserdb.Run(args, env);
            case InvocationMode.CheckpasswordChain:
                return CheckpasswordChain.Run(args, env);
            default:
                HookLog.Error(InvocationModes.Usage);
                return ExitCodes.Usage;
        }
    }
}
