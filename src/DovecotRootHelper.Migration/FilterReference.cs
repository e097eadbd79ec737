namespace DovecotRootHelper.Migration;

/// <summary>
/// A place in one of the user's own mail filters (.procmailrc, .forward, .mailfilter, a Sieve
/// script) that names a path or mailbox the plan moves: after the move the filter would deliver to
/// the old place. <see cref="File"/> is relative to the home; <see cref="Moves"/> is the plan's move
/// that takes the named path away, to <see cref="MovesTo"/>.
/// </summary>
public sealed record FilterReference(string File, int Line, string Written, string Moves, string MovesTo, FilterReferenceResolution Resolution)
{
    /// <summary>Where it is, as editors and compilers write it: <c>.procmailrc:12</c>.</summary>
    public string Where => $"{File}:{Line}";
}

/// <summary>What the plan does about a <see cref="FilterReference"/>.</summary>
public enum FilterReferenceResolution
{
    /// <summary>Nothing: the migration is refused until the filter is edited or a handling is chosen.</summary>
    Unresolved,

    /// <summary>A symlink owned by the user is left at the old path, pointing to the new one.</summary>
    Symlink,

    /// <summary>The administrator confirmed the filter is handled (edited, or not a delivery after all).</summary>
    Confirmed,

    /// <summary>A Sieve mailbox name: deliveries get the migrated root from the all-services userdb and find the same name there.</summary>
    ByName,
}

/// <summary>How <c>migrate</c> treats references in users' mail filters (<c>--filter-references</c>).</summary>
public enum FilterReferenceHandling
{
    /// <summary>The default: a user with a reference is not migrated.</summary>
    Refuse,

    /// <summary>Leave a symlink at each old path a filter names (removed again by a rollback).</summary>
    Symlink,

    /// <summary>The administrator has checked (and edited) the filters: migrate, leave them as they are.</summary>
    Confirmed,
}
