using DovecotRootHelper.Configuration;
using DovecotRootHelper.Decision;
using DovecotRootHelper.Dovecot;
using DovecotRootHelper.Locations;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.LoginHook;

/// <summary>
/// Post-login mode (<c>executable = script-login HOOK</c>): decide the user's root from the state file,
/// add the location to the userdb reply and exec the rest of argv (or, when that is only Dovecot's
/// script-login, do its last step here); or refuse the login for now.
/// </summary>
internal static class PostLoginScript
{
    /// <summary>A userdb field that names the protocol (set with override_fields), for the refusal line.</summary>
    public const string ProtocolVariable = UserdbReply.ProtocolVariable;

    public static int Run(string argv0, string[] next, LoginEnvironment env)
    {
        bool pop3 = IsPop3(argv0, env[ProtocolVariable]);
        PostLoginOutcome outcome = Decide(env);
        if (outcome.Refused)
            return LoginRefusal.Refuse(pop3, outcome.Refusal);

        if (ScriptLoginFinish.Applies(outcome.Config, next))
        {
            return ScriptLoginFinish.TrySend(env, ScriptLoginReply.MailProcessSocket, Sys.StandardOutput)
                ? 0
                : LoginRefusal.Refuse(pop3, LoginRefusal.Unavailable);
        }
        try
        {
            Sys.Execute(ExecArguments.Of(next), env.ToExecveEntries());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            HookLog.Error($"login refused for {env["USER"]}: {e.Message}");
        }
        return LoginRefusal.Refuse(pop3, LoginRefusal.Unavailable);
    }

    /// <summary>
    /// Decides the user's root and adds it to <paramref name="env"/>; or says why the login is
    /// refused (already logged).
    /// </summary>
    public static PostLoginOutcome Decide(LoginEnvironment env)
    {
        string user = env["USER"] ?? "";
        LoginSettings config;
        RootDecision decision;
        try
        {
            string? problem = UserName.Problem(user);
            if (problem is not null)
                throw new LocationException($"USER '{user}' {problem}");
            config = LoginSettings.LoadForLogin(env[LoginSettings.PathVariable] ?? LoginSettings.DefaultPath);
            decision = RootDecision.ForLogin(config, user, env["HOME"], env["UID"]);
        }
        catch (Exception e) when (RootDecision.IsDecisionFailure(e))
        {
            HookLog.Error($"login refused for {user}: cannot decide the IMAP root: {e.Message}");
            return PostLoginOutcome.Refuse(LoginRefusal.Unavailable);
        }

        if (decision.RefusesLogin)
        {
            HookLog.Refusal($"login refused for {user}: state {decision.State.ToName()} ({decision.Why})");
            return PostLoginOutcome.Refuse(LoginRefusal.BeingMoved);
        }

        // No location (legacy unset): Dovecot's own applies; our own keys still go.
        AddLocation(env, decision.Location is null ? [] : config.Generation.UserdbFields(decision.Location), config.Generation);
        HookLog.Decision(config, decision);
        return PostLoginOutcome.Proceed(config);
    }

    /// <summary>Sets each field's variable and lists it in USERDB_KEYS once; our own settings never reach Dovecot.</summary>
    internal static void AddLocation(LoginEnvironment env, IReadOnlyList<KeyValuePair<string, string>> fields, DovecotGeneration generation)
    {
        UserdbReply reply = UserdbReply.ForPostLogin(env[UserdbReply.KeysVariable], fields, generation);
        foreach (string variable in reply.Removed)
            env.Remove(variable);
        foreach (KeyValuePair<string, string> variable in reply.Set)
            env.Set(variable.Key, variable.Value);
        env.Set(UserdbReply.KeysVariable, reply.KeysValue);
    }

    internal static bool IsPop3(string argv0, string? protocol) =>
        string.Equals(protocol, "pop3", StringComparison.OrdinalIgnoreCase)
        || Path.GetFileName(argv0).EndsWith("-pop3", StringComparison.Ordinal);
}
