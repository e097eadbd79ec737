using System.Text;
using System.Text.Unicode;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Configuration;

/// <summary>
/// The config file's one parser: an INI file (<c>[section]</c>, <c>key = value</c>, comments from
/// <c>;</c>, <c>#</c> or <c>/</c>), read in one pass into <see cref="ConfigValues"/>, each refusal
/// with file and line in words. The file's structure is checked everywhere (size, UTF-8, no control
/// byte, every line a section, a comment or a setting), because it decides which section each
/// setting is in; names (unknown or repeated keys) only in the sections the caller reads.
/// </summary>
public static class ConfigFileSyntax
{
    /// <summary>Larger than any config needs; bounded so that a wrong file cannot exhaust the hook's small heap.</summary>
    public const int MaxSize = 256 * 1024;

    /// <summary>
    /// Reads every setting, each of which must be one of <paramref name="known"/> (<c>section:key</c>,
    /// in any case; <c>section:*</c> takes any key of the section) and set once, except in the sections <paramref name="skipped"/> names, whose lines
    /// are checked only for their shape.
    /// </summary>
    /// <exception cref="ConfigException">The first problem, naming file and line.</exception>
    public static ConfigValues Read(ReadOnlySpan<byte> bytes, string path, IReadOnlyList<string> known, IReadOnlyList<string> skipped)
    {
        if (bytes.Length > MaxSize)
            throw new ConfigException($"{path}: {bytes.Length} bytes, more than a config file can be ({MaxSize})");
        if (!Utf8.IsValid(bytes))
            throw new ConfigException($"{path}: not valid UTF-8");
        int control = bytes.IndexOfAny(StateFileSyntax.NotText);
        if (control >= 0)
            throw new ConfigException(path, bytes[..control].Count((byte)'\n') + 1, $"control byte 0x{bytes[control]:x2}");

        var values = new ConfigValues(path);
        string text = Encoding.UTF8.GetString(bytes);
        string section = "";
        bool reading = true;
        int number = 0;
        foreach (Range range in text.AsSpan().Split('\n'))
        {
            number++;
            ReadOnlySpan<char> line = text.AsSpan(range).Trim();
            if (line.IsEmpty || line[0] is ';' or '#' or '/')
                continue;
            if (line[0] == '[' && line[^1] == ']')
            {
                section = line[1..^1].Trim().ToString();
                reading = !Contains(skipped, section);
                continue;
            }
            int equals = line.IndexOf('=');
            if (equals <= 0)
                throw new ConfigException(path, number, $"not a [section], a comment or a 'key = value' line: '{line}'");
            if (!reading)
                continue;
            string key = line[..equals].Trim().ToString();
            string name = section.Length == 0 ? key : $"[{section}] {key}";
            if (section.Length == 0)
                throw new ConfigException(path, number, $"setting {key} is outside any [section]");
            string setting = $"{section}:{key}";
            if (!Contains(known, setting))
                throw new ConfigException(path, number, $"unknown setting {name}");
            ReadOnlySpan<char> value = line[(equals + 1)..].Trim();
            // As Microsoft.Extensions.Configuration's INI reader did: one pair of double quotes around a value is not part of it.
            if (value.Length > 1 && value[0] == '"' && value[^1] == '"')
                value = value[1..^1];
            if (!values.TryAdd(setting, value.ToString(), number, out int first))
                throw new ConfigException(path, number, $"{name} is set again (first at line {first})");
        }
        return values;
    }

    // A plain loop: LINQ with a comparer costs the login path a generic virtual method resolved at run time.
    private static bool Contains(IReadOnlyList<string> names, string name)
    {
        foreach (string known in names)
        {
            if (string.Equals(known, name, StringComparison.OrdinalIgnoreCase))
                return true;
            if (known.EndsWith(":*", StringComparison.Ordinal) && name.StartsWith(known.AsSpan(0, known.Length - 1), StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }
}
