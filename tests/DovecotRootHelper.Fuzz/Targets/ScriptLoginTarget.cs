using DovecotRootHelper.Dovecot;

namespace DovecotRootHelper.Fuzz.Targets;

/// <summary>
/// The post-login request imap sends its post-login service. Rejection: <see cref="FormatException"/>.
/// Accepted ⇒ an environment execve can carry: LOCAL_IP, IP and USER present, every name non-empty
/// without '=' or NUL, every value without NUL, and nothing decoded from bytes that are not UTF-8.
/// </summary>
internal static class ScriptLoginTarget
{
    public static void Run(byte[] input)
    {
        Dictionary<string, string> env;
        try
        {
            env = ScriptLoginRequest.ToEnvironment(input);
        }
        catch (FormatException)
        {
            return;
        }
        FuzzFindingException.Unless(env.ContainsKey("LOCAL_IP") && env.ContainsKey("IP") && env.ContainsKey("USER"), "LOCAL_IP, IP or USER missing");
        foreach ((string key, string value) in env)
        {
            FuzzFindingException.Unless(key.Length > 0 && !key.Contains('=', StringComparison.Ordinal) && !key.Contains('\0', StringComparison.Ordinal), $"variable name '{key}' cannot be in an environment");
            FuzzFindingException.Unless(!value.Contains('\0', StringComparison.Ordinal), $"the value of {key} holds a NUL, which execve would cut");
        }
        FuzzFindingException.Unless(System.Text.Unicode.Utf8.IsValid(input), "a request that is not UTF-8 is accepted (decoding replaced bytes)");
    }
}
