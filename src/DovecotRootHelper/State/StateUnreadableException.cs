namespace DovecotRootHelper.State;

/// <summary>
/// The state cannot be read or changed: the state file has bad lines, or the database cannot be
/// reached or failed. <see cref="Exception.Message"/> is one line naming where.
/// </summary>
public class StateUnreadableException : Exception
{
    public StateUnreadableException(string message, int problemCount = 1, Exception? inner = null)
        : base(message, inner)
    {
        ProblemCount = problemCount;
    }

    /// <summary>How many problems were found (a state file's bad lines); the message names the first.</summary>
    public int ProblemCount { get; }

    /// <summary>Nothing is wrong with the state itself: it could not be reached (the database server down).</summary>
    public bool Unreachable { get; init; }
}
