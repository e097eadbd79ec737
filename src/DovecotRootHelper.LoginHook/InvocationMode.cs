namespace DovecotRootHelper.LoginHook;

/// <summary>
/// How Dovecot (or a person) started the hook. The environments do not overlap: script-login always
/// sets USERDB_KEYS and never SERVICE; Dovecot's checkpassword always sets PROTO=TCP and SERVICE, with
/// AUTHORIZED=1 only for lookups. Started with no arguments by Dovecot's master itself
/// (DOVECOT_CHILD_PROCESS and GENERATION set), it is the post-login service. Anything else, or a
/// mix, is not a Dovecot invocation.
/// </summary>
internal enum InvocationMode
{
    Unknown,
    PostLogin,
    PostLoginService,
    CheckpasswordUserdb,
    CheckpasswordChain,
}

internal static class InvocationModes
{
    public static InvocationMode Detect(LoginEnvironment env, int argumentCount)
    {
        if (argumentCount == 0)
            return PostLoginService.IsServiceEnvironment(env) ? InvocationMode.PostLoginService : InvocationMode.Unknown;
        bool postLogin = env.Has("USERDB_KEYS");
        bool checkpassword = env.Raw("PROTO") is [(byte)'T', (byte)'C', (byte)'P'] && env.Has("SERVICE");
        if (postLogin == checkpassword)
            return InvocationMode.Unknown;
        if (postLogin)
            return InvocationMode.PostLogin;
        return env.Raw("AUTHORIZED") switch
        {
            [(byte)'1'] => InvocationMode.CheckpasswordUserdb,
            null => InvocationMode.CheckpasswordChain,
            _ => InvocationMode.Unknown,
        };
    }

    public const string Usage =
        "usage: dovecot-root-helper NEXT-PROGRAM [ARGS...]: run by Dovecot as a post-login script (script-login), " +
        "as a checkpassword userdb, or exec'd by a checkpassword password checker; with no arguments only as Dovecot's post-login service; see the README";
}
