using System.Text;
using DovecotRootHelper.Locations;

namespace DovecotRootHelper.State;

/// <summary>
/// Which location Dovecot must use for a user, as the state records it: <c>legacy</c> (the old root),
/// <c>migrated</c> (the root moved to <c>$HOME/IMAP</c>), <c>migrating</c> (mail is being moved or
/// converted: logins refused for now), or the name of a target location from <c>[locations]</c>
/// (a user whose mail was converted, for example <c>maildir</c>). The default value is legacy.
/// </summary>
public readonly struct UserState : IEquatable<UserState>
{
    // null is legacy, so that default(UserState) is the state an unlisted user starts from.
    private readonly string? _name;

    private UserState(string? name) => _name = name;

    /// <summary>The old root (typically the whole home directory).</summary>
    public static UserState Legacy => default;

    /// <summary>The new root, <c>$HOME/IMAP</c>.</summary>
    public static UserState Migrated { get; } = new("migrated");

    /// <summary>Files are being moved or converted: logins must be refused for now.</summary>
    public static UserState Migrating { get; } = new("migrating");

    /// <summary>The three states every config has, in the order messages list them.</summary>
    public static IReadOnlyList<UserState> Builtin { get; } = [Legacy, Migrated, Migrating];

    /// <summary>The state's word, as the state file and the database spell it.</summary>
    public string Name => _name ?? "legacy";

    /// <summary>True for a named target location of <c>[locations]</c> rather than one of the three built-in states.</summary>
    public bool IsTarget => _name is not null and not "migrated" and not "migrating";

    /// <summary>The state of a user whose mail is at the target named <paramref name="name"/> (see <see cref="TargetLocations.NameProblem"/>).</summary>
    public static UserState AtTarget(string name) =>
        TargetLocations.NameProblem(name) is { } problem ? throw new ArgumentException($"'{name}' {problem}", nameof(name)) : new(name);

    /// <summary>The built-in state spelled <paramref name="word"/>; false for anything else, target names included.</summary>
    public static bool TryParseBuiltin(ReadOnlySpan<byte> word, out UserState state)
    {
        if (word.SequenceEqual("legacy"u8))
            state = Legacy;
        else if (word.SequenceEqual("migrated"u8))
            state = Migrated;
        else if (word.SequenceEqual("migrating"u8))
            state = Migrating;
        else
        {
            state = default;
            return false;
        }
        return true;
    }

    /// <summary>A built-in state, or a target <paramref name="targets"/> names; false for any other word.</summary>
    public static bool TryParse(ReadOnlySpan<byte> word, TargetLocations? targets, out UserState state)
    {
        if (TryParseBuiltin(word, out state))
            return true;
        // The config's own string: a file of a million converted users holds one name, not a million.
        if (targets?.Find(word) is { } name)
        {
            state = new UserState(name);
            return true;
        }
        return false;
    }

    /// <inheritdoc cref="TryParse(ReadOnlySpan{byte}, TargetLocations?, out UserState)"/>
    public static bool TryParse(string word, TargetLocations? targets, out UserState state) =>
        TryParse(Encoding.UTF8.GetBytes(word), targets, out state);

    /// <summary>The state in one byte, for the parsed lines' arrays: 0-2 the built-in three, then the targets in the config's order.</summary>
    internal byte Code(TargetLocations? targets) =>
        _name is null ? (byte)0
        : _name == "migrated" ? (byte)1
        : _name == "migrating" ? (byte)2
        : (byte)(3 + (targets?.IndexOf(_name) is int at and >= 0 ? at : throw new ArgumentException($"no target location is named '{_name}'")));

    internal static UserState FromCode(byte code, TargetLocations? targets) => code switch
    {
        0 => Legacy,
        1 => Migrated,
        2 => Migrating,
        _ => new UserState(targets!.NameAt(code - 3)),
    };

    /// <summary>What a message says is expected where a state was wrong.</summary>
    public static string Expected(TargetLocations? targets) =>
        targets is null || targets.Count == 0
            ? "legacy, migrated or migrating"
            : $"legacy, migrated, migrating or a target of [locations]: {string.Join(", ", targets.Names)}";

    public bool Equals(UserState other) => string.Equals(Name, other.Name, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is UserState other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);

    public override string ToString() => Name;

    public static bool operator ==(UserState left, UserState right) => left.Equals(right);

    public static bool operator !=(UserState left, UserState right) => !left.Equals(right);
}

/// <summary>The state file's spelling of <see cref="UserState"/>.</summary>
public static class UserStateNames
{
    public static string ToName(this UserState state) => state.Name;

    /// <summary>A built-in state only (legacy, migrated, migrating).</summary>
    public static bool TryParse(string word, out UserState state) =>
        UserState.TryParseBuiltin(Encoding.UTF8.GetBytes(word), out state);
}
