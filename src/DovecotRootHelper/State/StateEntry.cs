namespace DovecotRootHelper.State;

/// <summary>One user's line in the state file: the user, the state, the line number and anything after the state.</summary>
public sealed record StateEntry(string User, UserState State, int Line, string Note);
