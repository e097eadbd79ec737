using System.Text;
using System.Text.Unicode;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Configuration;

/// <summary>
/// The config file's lines, checked before the INI provider reads them: so that a bad line is
/// refused with its line number and in words (the native-AOT build has no text for the provider's
/// own messages), and so that no control byte ever reaches a path or a template.
/// </summary>
public static class ConfigFileSyntax
{
    /// <summary>Larger than any config needs; bounded so that a wrong file cannot exhaust the hook's small heap.</summary>
    public const int MaxSize = 256 * 1024;

    /// <summary>Throws a <see cref="ConfigException"/> naming file and line for the first line the INI provider would refuse or that holds a control byte.</summary>
    public static void Check(ReadOnlySpan<byte> bytes, string path)
    {
        if (bytes.Length > MaxSize)
            throw new ConfigException($"{path}: {bytes.Length} bytes, more than a config file can be ({MaxSize})");
        if (!Utf8.IsValid(bytes))
            throw new ConfigException($"{path}: not valid UTF-8");
        var firstLine = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        string section = "";
        int number = 0;
        foreach (Range range in bytes.Split((byte)'\n'))
        {
            number++;
            ReadOnlySpan<byte> raw = bytes[range];
            int control = raw.IndexOfAny(StateFileSyntax.NotText);
            if (control >= 0)
                throw new ConfigException($"{path}:{number}: control byte 0x{raw[control]:x2}");
            string line = Encoding.UTF8.GetString(raw).Trim();
            if (line.Length == 0 || line[0] is ';' or '#' or '/')
                continue;
            if (line[0] == '[' && line[^1] == ']')
            {
                section = line[1..^1].Trim();
                continue;
            }
            int equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
                throw new ConfigException($"{path}:{number}: not a [section], a comment or a 'key = value' line: '{line}'");
            string key = line[..equals].Trim();
            string name = section.Length == 0 ? key : $"[{section}] {key}";
            if (!firstLine.TryAdd($"{section}:{key}", number))
                throw new ConfigException($"{path}:{number}: {name} is set again (first at line {firstLine[$"{section}:{key}"]})");
        }
    }
}
