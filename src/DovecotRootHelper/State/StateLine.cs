using DovecotRootHelper.Locations;

namespace DovecotRootHelper.State;

/// <summary>
/// Where one user's line lies in the state file's bytes: offsets instead of strings, 16 bytes a
/// user, so that a file of 100,000 users parses into one array rather than 300,000 objects. The
/// state is a code (<see cref="UserState.Code"/>): a target's name stays the config's one string. The note is found again from the bytes when an entry is
/// made.
/// </summary>
internal readonly record struct StateLine(int LineStart, int Line, ushort Lead, ushort UserLength, byte StateCode)
{
    public int UserStart => LineStart + Lead;

    public UserState StateWith(TargetLocations? targets) => UserState.FromCode(StateCode, targets);

    public StateLine Shifted(int delta) => this with { LineStart = LineStart + delta };
}
