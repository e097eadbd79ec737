namespace DovecotRootHelper.State;

/// <summary>Where a user's IMAP root is, as recorded in the migration-state file.</summary>
public enum UserState
{
    /// <summary>The old root (typically the whole home directory).</summary>
    Legacy,

    /// <summary>The new root, <c>$HOME/IMAP</c>.</summary>
    Migrated,

    /// <summary>Files are being moved: logins must be refused for now.</summary>
    Migrating,
}

/// <summary>The state file's spelling of <see cref="UserState"/>.</summary>
public static class UserStateNames
{
    public static string ToName(this UserState state) => state switch
    {
        UserState.Legacy => "legacy",
        UserState.Migrated => "migrated",
        UserState.Migrating => "migrating",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    public static bool TryParse(ReadOnlySpan<byte> word, out UserState state)
    {
        if (word.SequenceEqual("legacy"u8))
            state = UserState.Legacy;
        else if (word.SequenceEqual("migrated"u8))
            state = UserState.Migrated;
        else if (word.SequenceEqual("migrating"u8))
            state = UserState.Migrating;
        else
        {
            state = default;
            return false;
        }
        return true;
    }

    public static bool TryParse(string word, out UserState state) =>
        TryParse(System.Text.Encoding.UTF8.GetBytes(word), out state);
}
