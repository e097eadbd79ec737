using DovecotRootHelper.Dovecot;

namespace DovecotRootHelper.Fuzz.Targets;

/// <summary>
/// The post-login request imap sends its post-login service. Rejection: <see cref="FormatException"/>.
/// Accepted ⇒ an environment execve can carry: LOCAL_IP, IP and USER present, every name non-empty
/// without '=' or NUL, every value without NUL, and USERDB_KEYS naming keys that are there.
/// </summary>
internal static class ScriptLoginTarget
{
    public static void Run(byte[] input)
    {
        bool complete = ScriptLoginRequest.IsComplete(input);
        Dictionary<string, string> env;
        try
        {
            env = ScriptLoginRequest.ToEnvironment(input);
        }
        catch (FormatException)
        {
            return;
        }
        _ = complete;
        FuzzFindingException.Unless(env.ContainsKey("LOCAL_IP") && env.ContainsKey("IP") && env.ContainsKey("USER"), "LOCAL_IP, IP or USER missing");
        foreach ((string key, string value) in env)
        {
            FuzzFindingException.Unless(key.Length > 0 && !key.Contains('=', StringComparison.Ordinal) && !key.Contains('\0', StringComparison.Ordinal), $"variable name '{key}' cannot be in an environment");
            FuzzFindingException.Unless(!value.Contains('\0', StringComparison.Ordinal), $"the value of {key} holds a NUL, which execve would cut");
        }
        foreach (string key in env[UserdbReply.KeysVariable].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            FuzzFindingException.Unless(env.ContainsKey(key), $"USERDB_KEYS names {key}, which is not set");
    }
}
