namespace DovecotRootHelper.Migration;

/// <summary>
/// Everything one migration will do, decided before anything is touched. All paths are relative to
/// the user's home directory, which is the only tree a migration may change.
/// </summary>
public sealed record MigrationPlan(
    string User,
    uint Uid,
    uint Gid,
    string Home,
    string LegacyRoot,
    string MigratedRoot,
    IReadOnlyList<Mailbox> Mailboxes,
    IReadOnlyList<PlanStep> Steps,
    IReadOnlyList<PlanNote> Notes,
    IReadOnlyList<PlanConflict> Conflicts)
{
    /// <summary>A plan with conflicts must not be executed.</summary>
    public bool CanExecute => Conflicts.Count == 0;

    /// <summary>Places in the user's own mail filters that name what the plan moves, and how each is handled.</summary>
    public IReadOnlyList<FilterReference> FilterReferences { get; init; } = [];
}

/// <summary>One change to the tree, in execution order; undone in reverse order.</summary>
public abstract record PlanStep;

/// <summary>Create a directory (relative to the home) owned by the user with the mode of its source counterpart.</summary>
public sealed record CreateDirectory(string Path, uint Mode) : PlanStep;

/// <summary>rename(2) one file or directory (relative to the home); <see cref="Identity"/> is what must arrive.</summary>
public sealed record MoveEntry(string From, string To, EntryKind Kind, ObjectIdentity Identity) : PlanStep;

public enum EntryKind
{
    File,
    Directory,
}

/// <summary>What makes an object the same object after a rename: device, inode, size and mtime.</summary>
public readonly record struct ObjectIdentity(ulong Device, ulong Inode, long Size, long MtimeSeconds, long MtimeNanoseconds)
{
    public static ObjectIdentity Of(Posix.FileStatus status) =>
        new(status.Device, status.Inode, status.Size, status.MtimeSeconds, status.MtimeNanoseconds);
}

/// <summary>Something left alone, and why (a subscribed name with no file, an mbox-looking file with no evidence, a symlink...).</summary>
public sealed record PlanNote(string Path, string Reason);

/// <summary>Something that stops the migration before anything is touched.</summary>
public sealed record PlanConflict(string Path, string Reason);

/// <summary>
/// Leave a symbolic link owned by the user at <see cref="Path"/> (relative to the home), pointing to
/// <see cref="Target"/> (relative to the link's directory), so that a mail filter naming the old
/// path keeps delivering to the moved mailbox.
/// </summary>
public sealed record CreateSymlink(string Path, string Target) : PlanStep;
