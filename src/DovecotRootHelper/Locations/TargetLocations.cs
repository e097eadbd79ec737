using System.Text;

namespace DovecotRootHelper.Locations;

/// <summary>
/// The named target locations of <c>[locations]</c>: every key besides <c>legacy</c> and
/// <c>migrated</c> (for example <c>maildir = maildir:~/Maildir:LAYOUT=fs</c>). A user's state may
/// name one: Dovecot then uses that location for the user. In the config's order.
/// </summary>
public sealed class TargetLocations
{
    /// <summary>No targets: a config from before targets existed.</summary>
    public static TargetLocations None { get; } = new([]);

    private readonly (string Name, byte[] Word, LocationTemplate Template)[] _targets;

    public TargetLocations(IReadOnlyList<(string Name, LocationTemplate Template)> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        _targets = [.. targets.Select(t => (t.Name, Encoding.UTF8.GetBytes(t.Name), t.Template))];
    }

    public int Count => _targets.Length;

    public IEnumerable<string> Names => _targets.Select(t => t.Name);

    /// <summary>The config's spelling of the target named <paramref name="word"/>, or null when none is.</summary>
    public string? Find(ReadOnlySpan<byte> word)
    {
        foreach ((string name, byte[] bytes, _) in _targets)
        {
            if (word.SequenceEqual(bytes))
                return name;
        }
        return null;
    }

    /// <summary>The target's place in the config's order, or -1.</summary>
    public int IndexOf(string name)
    {
        for (int i = 0; i < _targets.Length; i++)
        {
            if (string.Equals(_targets[i].Name, name, StringComparison.Ordinal))
                return i;
        }
        return -1;
    }

    internal string NameAt(int index) => _targets[index].Name;

    /// <summary>The location of the target named <paramref name="name"/>, or null when the config names none so.</summary>
    public LocationTemplate? Template(string name) => IndexOf(name) is int at and >= 0 ? _targets[at].Template : null;

    /// <summary>The most targets a config may name: a state is one byte in a parsed file's lines.</summary>
    public const int MaxCount = 200;

    /// <summary>The longest target name: a state word, not a sentence.</summary>
    public const int MaxNameLength = 32;

    /// <summary>
    /// Why <paramref name="name"/> cannot name a target, or null when it can: lower-case ASCII letters,
    /// digits and '-', starting with a letter, and not one of the built-in states. The state file,
    /// the database and Dovecot's config all carry it unquoted.
    /// </summary>
    public static string? NameProblem(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name.Length > MaxNameLength)
            return $"must be 1 to {MaxNameLength} characters long";
        if (name[0] is < 'a' or > 'z')
            return "must start with a lower-case letter";
        foreach (char c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
                return $"holds '{c}' (only a-z, 0-9 and '-')";
        }
        return name is "legacy" or "migrated" or "migrating" ? "is a built-in state" : null;
    }
}
