namespace DovecotRootHelper.State;

/// <summary>
/// Where one user's line lies in the state file's bytes: offsets instead of strings, so that a
/// file of 100,000 users parses into one array rather than 300,000 objects.
/// </summary>
internal readonly record struct StateLine(int LineStart, int UserStart, int UserLength, UserState State, int NoteStart, int NoteLength, int Line)
{
    public StateLine Shifted(int delta) =>
        this with { LineStart = LineStart + delta, UserStart = UserStart + delta, NoteStart = NoteStart + delta };
}
