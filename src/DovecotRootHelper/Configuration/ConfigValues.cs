namespace DovecotRootHelper.Configuration;

/// <summary>The settings <see cref="ConfigFileSyntax"/> read, keyed <c>section:key</c> in any case, each with its line.</summary>
public sealed class ConfigValues(string path)
{
    private readonly Dictionary<string, (string Value, int Line)> _settings = new(StringComparer.OrdinalIgnoreCase);

    // The settings in the file's order (the file is read top to bottom).
    private readonly List<string> _order = [];

    public string Path { get; } = path;

    internal bool TryAdd(string setting, string value, int line, out int firstLine)
    {
        if (_settings.TryGetValue(setting, out (string Value, int Line) first))
        {
            firstLine = first.Line;
            return false;
        }
        _settings.Add(setting, (value, line));
        _order.Add(setting);
        firstLine = 0;
        return true;
    }

    /// <summary>Whether the file sets <paramref name="setting"/> at all, if only to nothing (<c>who =</c>).</summary>
    public bool IsPresent(string setting) => _settings.ContainsKey(setting);

    /// <summary>The value without an inline <c> ; comment</c> and surrounding blanks; null when unset or empty.</summary>
    public string? Value(string setting) => _settings.TryGetValue(setting, out (string Value, int Line) found) ? WithoutComment(found.Value) : null;

    /// <summary>The line <paramref name="setting"/> is on, or 0 when the file does not set it.</summary>
    public int LineOf(string setting) => _settings.TryGetValue(setting, out (string Value, int Line) found) ? found.Line : 0;

    /// <summary>The keys of one section as the file spells them, in the file's order. A plain loop: every login reads [locations]'.</summary>
    public List<string> KeysOf(string section)
    {
        var keys = new List<string>();
        foreach (string setting in _order)
        {
            if (setting.Length > section.Length && setting[section.Length] == ':' && setting.StartsWith(section, StringComparison.OrdinalIgnoreCase))
                keys.Add(setting[(section.Length + 1)..]);
        }
        return keys;
    }

    /// <summary>A problem with <paramref name="setting"/>'s value, naming file and line.</summary>
    public ConfigException Problem(string setting, string problem) => new(Path, LineOf(setting), problem);

    /// <summary>Every setting as the configuration binder reads it (inline comments already gone).</summary>
    public IEnumerable<KeyValuePair<string, string?>> ForBinding() =>
        _settings.Select(s => new KeyValuePair<string, string?>(s.Key, WithoutComment(s.Value.Value) ?? ""));

    private static string? WithoutComment(string raw)
    {
        for (int i = 1; i < raw.Length; i++)
        {
            if ((raw[i] == ';' || raw[i] == '#') && char.IsWhiteSpace(raw[i - 1]))
            {
                raw = raw[..i];
                break;
            }
        }
        raw = raw.Trim();
        return raw.Length == 0 ? null : raw;
    }
}
