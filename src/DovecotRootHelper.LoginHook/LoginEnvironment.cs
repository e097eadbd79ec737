using System.Collections;

namespace DovecotRootHelper.LoginHook;

/// <summary>The environment Dovecot handed the hook, in a form that can be edited and passed to execve.</summary>
internal sealed class LoginEnvironment
{
    private readonly Dictionary<string, string> _variables;

    private LoginEnvironment(Dictionary<string, string> variables) => _variables = variables;

    public static LoginEnvironment Current()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
            variables[(string)entry.Key] = (string?)entry.Value ?? "";
        return new LoginEnvironment(variables);
    }

    /// <summary>An environment built by the hook itself (service mode builds script-login's).</summary>
    public static LoginEnvironment From(Dictionary<string, string> variables) => new(variables);

    public string? this[string name] => _variables.TryGetValue(name, out string? value) ? value : null;

    public void Set(string name, string value) => _variables[name] = value;

    public void Remove(string name) => _variables.Remove(name);

    /// <summary>The KEY=VALUE array execve takes.</summary>
    public string[] ToExecveArray()
    {
        var result = new string[_variables.Count];
        int i = 0;
        foreach (KeyValuePair<string, string> pair in _variables)
            result[i++] = pair.Key + "=" + pair.Value;
        return result;
    }
}
