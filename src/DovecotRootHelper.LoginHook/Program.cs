using System.Text;
using DovecotRootHelper.Locations;
using DovecotRootHelper.Posix;

namespace DovecotRootHelper.LoginHook;

/// <summary>The login hook's entry point: Dovecot runs it on every login.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        LoginEnvironment env = LoginEnvironment.Current();
        string argv0 = Environment.GetCommandLineArgs()[0];
        InvocationMode mode = InvocationModes.Detect(env, args.Length);
        try
        {
            switch (mode)
            {
                case InvocationMode.PostLogin:
                    return PostLoginScript.Run(argv0, args, env);
                case InvocationMode.PostLoginService:
                    return PostLoginService.Run(argv0, env);
                case InvocationMode.CheckpasswordUserdb:
                    return CheckpasswordUserdb.Run(args, env);
                case InvocationMode.CheckpasswordChain:
                    return CheckpasswordChain.Run(args, env);
                case InvocationMode.Unknown when args is ["--version"]:
                    return PrintVersion();
                default:
                    HookLog.Error(InvocationModes.Usage);
                    return ExitCodes.Usage;
            }
        }
        catch (LocationException e)
        {
            // A variable the hook must read as text is not UTF-8 (LoginEnvironment): fail the login
            // for now, in the mode's own words, rather than decide with a rewritten copy.
            HookLog.Error($"login refused: {e.Message}");
            return mode == InvocationMode.PostLogin
                ? LoginRefusal.Refuse(PostLoginScript.IsPop3(argv0, null), LoginRefusal.Unavailable)
                : ExitCodes.TemporaryFailure;
        }
    }

    // Straight to fd 1: System.Console would link its encodings and writers into every login.
    private static int PrintVersion()
    {
        try
        {
            Sys.WriteAll(Sys.StandardOutput, Encoding.UTF8.GetBytes($"dovecot-root-helper {ProductVersion.Text}\n"), "stdout");
        }
        catch (IOException)
        {
            // stdout closed or a pipe nobody reads: as System.Console did, say nothing.
        }
        return ExitCodes.Ok;
    }
}
