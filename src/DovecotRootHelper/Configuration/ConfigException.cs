namespace DovecotRootHelper.Configuration;

/// <summary>The configuration cannot be used; the message names the file, the line where known, and the setting.</summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string message)
        : base(message)
    {
    }

    public ConfigException(string path, int line, string problem)
        : base(line > 0 ? $"{path}:{line}: {problem}" : $"{path}: {problem}")
    {
        Path = path;
        Line = line;
    }

    /// <summary>Several problems found at once (imaproot reads every setting before it says what is wrong); the first is this one's message.</summary>
    public ConfigException(IReadOnlyList<ConfigException> problems)
        : base(problems[0].Message)
    {
        Path = problems[0].Path;
        Line = problems[0].Line;
        _problems = problems;
    }

    private readonly IReadOnlyList<ConfigException>? _problems;

    /// <summary>The config file, when the problem is in it.</summary>
    public string? Path { get; }

    /// <summary>The line the problem is on, or 0.</summary>
    public int Line { get; }

    /// <summary>Every problem found: this one alone, or all of them.</summary>
    public IReadOnlyList<ConfigException> Problems => _problems ?? [this];
}
