using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;
using DovecotRootHelper.Locations;

namespace DovecotRootHelper.LoginHook;

/// <summary>
/// The environment Dovecot handed the hook, in a form that can be edited and passed to execve.
/// Values are kept as the bytes they came in (an environment is bytes, not text): what the hook
/// does not change reaches the next program exactly as it was, whatever its encoding. A value the
/// hook must read as text but that is not UTF-8 refuses the login instead of being rewritten.
/// </summary>
internal sealed class LoginEnvironment
{
    private readonly Dictionary<string, byte[]> _variables;

    // Entries whose name is not UTF-8: passed on untouched, never read.
    private readonly List<byte[]> _opaque;

    private LoginEnvironment(Dictionary<string, byte[]> variables, List<byte[]> opaque)
    {
        _variables = variables;
        _opaque = opaque;
    }

    /// <summary>This process's environment, read from libc's <c>environ</c> byte for byte.</summary>
    public static unsafe LoginEnvironment Current()
    {
        var variables = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var opaque = new List<byte[]>();
        byte** entries = *(byte***)NativeLibrary.GetExport(NativeLibrary.GetMainProgramHandle(), "environ");
        for (; entries != null && *entries != null; entries++)
        {
            var entry = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(*entries);
            int equals = entry.IndexOf((byte)'=');
            ReadOnlySpan<byte> name = equals < 0 ? entry : entry[..equals];
            if (equals <= 0 || !Utf8.IsValid(name))
                opaque.Add(entry.ToArray());
            else
                variables[Encoding.UTF8.GetString(name)] = entry[(equals + 1)..].ToArray();
        }
        return new LoginEnvironment(variables, opaque);
    }

    /// <summary>An environment built by the hook itself (service mode builds script-login's).</summary>
    public static LoginEnvironment From(Dictionary<string, string> variables)
    {
        var bytes = new Dictionary<string, byte[]>(variables.Count, StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> variable in variables)
            bytes.Add(variable.Key, Encoding.UTF8.GetBytes(variable.Value));
        return new LoginEnvironment(bytes, []);
    }

    /// <summary>A variable as text; null when unset.</summary>
    /// <exception cref="LocationException">The value is not UTF-8: the hook cannot use it, and must not rewrite it.</exception>
    public string? this[string name]
    {
        get
        {
            if (!_variables.TryGetValue(name, out byte[]? value))
                return null;
            if (!Utf8.IsValid(value))
                throw new LocationException($"{name} is not UTF-8 ('{Printable(value)}'): the hook cannot decide with it and passes no rewritten copy on");
            return Encoding.UTF8.GetString(value);
        }
    }

    /// <summary>A variable's bytes, as they came; null when unset.</summary>
    public byte[]? Raw(string name) => _variables.GetValueOrDefault(name);

    public bool Has(string name) => _variables.ContainsKey(name);

    public void Set(string name, string value) => _variables[name] = Encoding.UTF8.GetBytes(value);

    public void Remove(string name) => _variables.Remove(name);

    /// <summary>The KEY=VALUE entries execve takes, as bytes.</summary>
    public byte[][] ToExecveEntries()
    {
        var result = new byte[_variables.Count + _opaque.Count][];
        int i = 0;
        foreach (KeyValuePair<string, byte[]> pair in _variables)
            result[i++] = [.. Encoding.UTF8.GetBytes(pair.Key), (byte)'=', .. pair.Value];
        foreach (byte[] entry in _opaque)
            result[i++] = entry;
        return result;
    }

    // For a log line: printable ASCII as it is, every other byte as \xNN.
    private static string Printable(ReadOnlySpan<byte> value)
    {
        var text = new StringBuilder(value.Length);
        foreach (byte b in value)
        {
            if (b is >= 0x20 and < 0x7f and not (byte)'\\')
                text.Append((char)b);
            else
                text.Append("\\x").Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }
}
