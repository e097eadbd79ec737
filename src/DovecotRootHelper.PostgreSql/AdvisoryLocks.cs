namespace DovecotRootHelper.PostgreSql;

/// <summary>
/// The advisory locks imaproot takes in the state database, in PostgreSQL's two-int key space
/// (apart from the schema's one-bigint lock): class <see cref="Site"/> for the site-wide locks,
/// class <see cref="User"/> with <c>hashtext(user)</c> for one user. Two names with the same hash
/// only wait for each other, never skip a lock.
/// </summary>
internal static class AdvisoryLocks
{
    /// <summary>'imap' in ASCII.</summary>
    public const int Site = 0x696d6170;

    /// <summary>'root' in ASCII.</summary>
    public const int User = 0x726f6f74;

    /// <summary>Changes of imaproot.user_state, for one transaction.</summary>
    public const int StateChange = 1;

    /// <summary>The schedule, while an imaproot reads and changes it.</summary>
    public const int Schedule = 2;

    /// <summary>One run-due at a time.</summary>
    public const int RunDue = 3;
}
