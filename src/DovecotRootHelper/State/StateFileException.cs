namespace DovecotRootHelper.State;

/// <summary>The state file cannot be trusted; the message names the file and, where known, the line.</summary>
public sealed class StateFileException : Exception
{
    public StateFileException(string path, int line, string problem)
        : base(line > 0 ? $"{path}:{line}: {problem}" : $"{path}: {problem}")
    {
        Path = path;
        Line = line;
        Problem = problem;
    }

    public string Path { get; }

    /// <summary>1-based line number, or 0 when the problem is the file as a whole.</summary>
    public int Line { get; }

    public string Problem { get; }
}
