using DovecotRootHelper.Configuration;
using DovecotRootHelper.Decision;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.LoginHook;

/// <summary>What the two checkpassword modes share: config, the EXTRA list, logging and the exec.</summary>
internal static class Checkpassword
{
    /// <summary>Checkpassword exists only in Dovecot 2.3, whose one location field is userdb_mail.</summary>
    public static LoginSettings LoadConfig(LoginEnvironment env)
    {
        LoginSettings config = LoginSettings.LoadForLogin(env[LoginSettings.PathVariable] ?? LoginSettings.DefaultPath);
        if (!config.Generation.HasCheckpassword)
            throw new ConfigException($"{config.Path}: [dovecot] version = {config.Generation.Name}: Dovecot {config.Generation.Name} has no checkpassword; use the post-login script there");
        return config;
    }

    /// <summary>
    /// Decides the user's root for a checkpassword mode; null (with the reason logged) when the
    /// login must fail temporarily: the user is being migrated, or nothing can be decided.
    /// </summary>
    public static RootDecision? TryDecide(LoginEnvironment env, string user, string home, uint uid, string what)
    {
        try
        {
            LoginSettings config = LoadConfig(env);
            RootDecision decision = RootDecision.ForLogin(config, user, home, uid.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (decision.RefusesLogin)
            {
                HookLog.Refusal($"{what} for {user} failed temporarily: state {decision.State.ToName()} ({decision.Why})");
                return null;
            }
            HookLog.Decision(config, decision);
            return decision;
        }
        catch (Exception e) when (RootDecision.IsDecisionFailure(e))
        {
            HookLog.Error($"{what} for {user} failed: cannot decide the IMAP root: {e.Message}");
            return null;
        }
    }

    public static bool ListsField(LoginEnvironment env, string name) =>
        Array.Exists((env["EXTRA"] ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries), listed => string.Equals(listed, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Sets each field and lists it in EXTRA once, keeping what the caller already listed.</summary>
    public static void AddFields(LoginEnvironment env, IReadOnlyList<KeyValuePair<string, string>> fields)
    {
        var extra = new List<string>();
        foreach (string name in (env["EXTRA"] ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Sets(fields, name))
                extra.Add(name);
        }
        foreach (KeyValuePair<string, string> field in fields)
        {
            env.Set(field.Key, field.Value);
            extra.Add(field.Key);
        }
        env.Set("EXTRA", string.Join(' ', extra));
        env.Remove(LoginSettings.PathVariable);
    }

    private static bool Sets(IReadOnlyList<KeyValuePair<string, string>> fields, string name)
    {
        foreach (KeyValuePair<string, string> field in fields)
        {
            if (string.Equals(field.Key, name, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    public static int Execute(string[] next, LoginEnvironment env, string user)
    {
        try
        {
            Sys.Execute(ExecArguments.Of(next), env.ToExecveEntries());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            HookLog.Error($"login for {user} failed: {e.Message}");
        }
        return ExitCodes.TemporaryFailure;
    }
}
