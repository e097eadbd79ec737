using DovecotRootHelper.Posix;

namespace DovecotRootHelper.Migration;

/// <summary>
/// Performs, undoes and verifies plan steps in a home. Every action first looks at both sides, so
/// running a step twice (a crash after the rename, before its journal record) is harmless, and
/// re-checks by lstat that the object about to be renamed is still the planned one (device, inode,
/// type, owner): a user racing the migration can make it stop, never move something else.
/// </summary>
internal sealed class StepRunner(HomeTree tree, MigrationPlan plan)
{
    /// <summary>Where Dovecot's own data found in a move's way is set aside, relative to the home: a dot-name, so no mbox root lists it.</summary>
    public const string SetAsideDirectory = ".imaproot-set-aside";

    // One directory per run: what Dovecot recreated is never merged with an earlier run's.
    private readonly string _setAsideRun = Path.Combine(SetAsideDirectory, UtcTimestamp.FormatForName(DateTime.UtcNow));

    /// <summary>What was set aside during this run, each as "FROM -> TO", relative to the home.</summary>
    public List<string> SetAside { get; } = [];

    /// <summary>Brings the step's effect about; true when it acted, false when it was already in place.</summary>
    public bool Do(PlanStep step) => step switch
    {
        CreateDirectory c => Create(c),
        MoveEntry m => Move(m, m.From, m.To),
        CreateSymlink l => Link(l),
        _ => throw new ArgumentOutOfRangeException(nameof(step)),
    };

    /// <summary>Takes the step's effect back; true when it acted.</summary>
    public bool Undo(PlanStep step) => step switch
    {
        CreateDirectory c => Remove(c),
        MoveEntry m => Move(m, m.To, m.From),
        CreateSymlink l => Unlink(l),
        _ => throw new ArgumentOutOfRangeException(nameof(step)),
    };

    /// <summary>After a migration: the object is at its destination, unchanged (inode, size, mtime), and gone from the source.</summary>
    public string? VerifyMoved(MoveEntry move, bool strict)
    {
        FileStatus? at = tree.Probe(move.To);
        if (at is null)
            return $"{move.To}: missing after the move";
        if (!SameObject(at.Value, move))
            return $"{move.To}: not the object planned (inode {at.Value.Inode}, expected {move.Identity.Inode})";
        if (strict && (at.Value.Size != move.Identity.Size || at.Value.MtimeSeconds != move.Identity.MtimeSeconds || at.Value.MtimeNanoseconds != move.Identity.MtimeNanoseconds))
            return $"{move.To}: size or mtime changed during the move";
        return tree.Probe(move.From) is null || IsPlannedLink(move.From) ? null : $"{move.From}: something is still at the source";
    }

    /// <summary>After a rollback: the object is back at its source and nothing is at the destination.</summary>
    public string? VerifyRestored(MoveEntry move)
    {
        FileStatus? at = tree.Probe(move.From);
        if (at is null || !SameObject(at.Value, move))
            return $"{move.From}: not restored";
        // Whatever else the user put at the destination meanwhile is theirs, and stays.
        return tree.Probe(move.To) is { } left && SameObject(left, move) ? $"{move.To}: the planned object is still at the destination" : null;
    }

    private bool Create(CreateDirectory step)
    {
        FileStatus? existing = tree.Probe(step.Path, out bool blocked);
        if (blocked)
            throw new MigrationException($"{plan.User}: {step.Path}: a parent became a symlink or a file");
        if (existing is { } e)
        {
            if (e.IsDirectory && e.Uid == plan.Uid)
                return false;
            throw new MigrationException($"{plan.User}: {step.Path}: exists and is not the user's directory");
        }
        tree.CreateDirectory(step.Path, step.Mode, plan.Uid, plan.Gid);
        return true;
    }

    private bool Remove(CreateDirectory step)
    {
        FileStatus? existing = tree.Probe(step.Path);
        if (existing is null)
            return false;
        if (!existing.Value.IsDirectory)
            throw new MigrationException($"{plan.User}: {step.Path}: not a directory, not removed");
        if (tree.List(step.Path) is { Count: > 0 } left)
        {
            // What Dovecot made in a root it served after the migration (the root's .imap index, a
            // subscriptions file) is set aside as at a move's destination; anything else stops.
            string? other = left.Where(entry => !IsDovecotsOwnData(step.Path + "/" + entry.Name) || entry.Status.Uid != plan.Uid).Select(entry => entry.Name).FirstOrDefault();
            if (other is not null)
                throw new MigrationException($"{plan.User}: {step.Path}: not empty ({other}...), so not removed; move it away and resume the rollback");
            foreach ((string name, _) in left)
                SetAsideInTheWay(step.Path + "/" + name);
        }
        tree.RemoveDirectory(step.Path);
        return true;
    }

    private bool Move(MoveEntry move, string from, string to)
    {
        FileStatus? source = tree.Probe(from, out bool sourceBlocked);
        FileStatus? target = tree.Probe(to, out bool targetBlocked);
        if (sourceBlocked || targetBlocked)
            throw new MigrationException($"{plan.User}: {from} -> {to}: a parent became a symlink or a file; stopped");
        // Already in place, whatever else now occupies the side it left (a step never done, undone
        // while the user had put something of theirs at its destination).
        if (target is { } t && SameObject(t, move) && !(source is { } both && SameObject(both, move)))
            return false;
        if (source is null)
            throw new MigrationException($"{plan.User}: {from}: missing, and {to} is {(target is null ? "missing too" : "another object")}");
        if (!SameObject(source.Value, move))
            throw new MigrationException($"{plan.User}: {from}: no longer the planned object (inode, type or owner changed); stopped");
        if (target is { } other)
        {
            if (!IsDovecotsOwnData(to) || other.Uid != plan.Uid)
                throw new MigrationException($"{plan.User}: {to}: exists; not overwritten");
            SetAsideInTheWay(to);
        }
        tree.Rename(from, to);
        return true;
    }

    /// <summary>
    /// Index, cache and control data that Dovecot rebuilds by itself (an mbox root's or mailbox's
    /// <c>.imap</c> directory, the subscriptions file): when Dovecot recreated it at a move's
    /// destination (it served the user from a root the state did not name), or made it in a directory
    /// the rollback removes (the migrated root, served after the migration), it is moved out of the
    /// way rather than merged or deleted, and reported. Anything else in the way stops the step.
    /// </summary>
    private static bool IsDovecotsOwnData(string path)
    {
        string[] parts = path.Split('/');
        return parts.Contains(".imap", StringComparer.Ordinal) || parts[^1] == ".subscriptions";
    }

    private void SetAsideInTheWay(string path)
    {
        string aside = Path.Combine(_setAsideRun, path);
        string parent = "";
        foreach (string part in HomeTree.Split(aside).Parent.Split('/'))
        {
            parent = parent.Length == 0 ? part : parent + "/" + part;
            FileStatus? existing = tree.Probe(parent, out bool blocked);
            if (blocked || existing is { IsDirectory: false } || existing is { } e && e.Uid != plan.Uid)
                throw new MigrationException($"{plan.User}: {parent}: in the way of setting {path} aside; move it away and resume");
            if (existing is null)
                tree.CreateDirectory(parent, 0x1C0, plan.Uid, plan.Gid);
        }
        tree.Rename(path, aside);
        SetAside.Add($"{path} -> {aside}");
    }

    private bool Link(CreateSymlink link)
    {
        FileStatus? existing = tree.Probe(link.Path, out bool blocked);
        if (blocked)
            throw new MigrationException($"{plan.User}: {link.Path}: a parent became a symlink or a file");
        if (existing is null)
        {
            tree.CreateSymlink(link.Path, link.Target, plan.Uid, plan.Gid);
            return true;
        }
        if (IsPlannedLink(link.Path))
            return false;
        throw new MigrationException($"{plan.User}: {link.Path}: exists; no symlink for the mail filter left there");
    }

    // Only the link this plan left is removed: a user may have replaced it by now.
    private bool Unlink(CreateSymlink link)
    {
        if (tree.Probe(link.Path) is null)
            return false;
        if (!IsPlannedLink(link.Path))
            throw new MigrationException($"{plan.User}: {link.Path}: no longer the symlink to {link.Target} imaproot left, so not removed; move it away and resume the rollback");
        tree.RemoveSymlink(link.Path);
        return true;
    }

    private bool IsPlannedLink(string path) =>
        plan.Steps.OfType<CreateSymlink>().FirstOrDefault(l => l.Path == path) is { } link
        && tree.Probe(path) is { IsSymbolicLink: true } status && status.Uid == plan.Uid
        && tree.ReadLink(path) == link.Target;

    private bool SameObject(FileStatus status, MoveEntry move) =>
        status.Device == move.Identity.Device
        && status.Inode == move.Identity.Inode
        && status.Uid == plan.Uid
        && (move.Kind == EntryKind.File ? status.IsRegularFile : status.IsDirectory);
}
