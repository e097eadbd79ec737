using DovecotRootHelper.Posix;

namespace DovecotRootHelper.Migration;

/// <summary>
/// Turns the discovered mailboxes into steps: the migrated root's directories, ROOT/.imap, the
/// subscriptions file, then each directory level: a whole directory in one rename when it holds
/// nothing but moving mailboxes and their indexes, else its directory (same mode) and each mailbox
/// file with its index directory. Every move is checked before anything is touched.
/// </summary>
internal sealed class PlanBuilder(HomeTree tree, MigrationLayout layout, MailboxDiscovery discovery, string user, uint uid)
{
    private readonly HashSet<string> _moving = new(StringComparer.Ordinal);
    private readonly HashSet<string> _folders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _whole = new(StringComparer.Ordinal);
    private readonly HashSet<string> _created = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ulong> _deviceOf = new(StringComparer.Ordinal);
    private Dictionary<string, List<string>>? _children;

    public List<PlanStep> Steps { get; } = [];

    public List<PlanConflict> Conflicts { get; } = [];

    public List<PlanNote> Notes { get; } = [];

    public void Build(IReadOnlyList<Mailbox> mailboxes)
    {
        string? reserved = layout.ReservedName;
        foreach (Mailbox mailbox in mailboxes)
        {
            if (reserved is not null && mailbox.Disposition != MailboxDisposition.Missing && mailbox.Name.Split('/')[0] == reserved)
                Conflicts.Add(new PlanConflict(layout.Legacy(mailbox.Name), $"mailbox '{mailbox.DisplayName}' has the name of the migrated root {layout.MigratedRoot}"));
            if (mailbox.Disposition != MailboxDisposition.Moves)
                continue;
            _moving.Add(mailbox.Name);
            foreach (string parent in MailboxNameRules.Parents(mailbox.Name))
                _folders.Add(parent);
        }
        if (_moving.Count == 0)
            return;

        FileStatus? migratedRoot = tree.Probe(layout.MigratedRoot, out bool blocked);
        if (blocked || migratedRoot is { IsDirectory: false })
            Conflicts.Add(new PlanConflict(layout.MigratedRoot, "the migrated root exists and is not a directory, or lies behind a symlink"));
        else if (migratedRoot is not null && tree.List(layout.MigratedRoot) is { Count: > 0 })
            Notes.Add(new PlanNote(layout.MigratedRoot, "the migrated root already exists and is not empty"));
        EnsureDirectory(layout.MigratedRoot, (tree.Probe(layout.LegacyRoot) ?? tree.HomeStatus()).Permissions);

        MoveIfPresent(MailboxDiscovery.IndexDirectory, EntryKind.Directory);
        if (layout.ControlRoot is null)
            MoveIfPresent(layout.SubscriptionsName, EntryKind.File); // With CONTROL= it stays in the control tree, under the same name.
        PlanLevel("");
    }

    private void PlanLevel(string directory)
    {
        foreach (string child in Children(directory))
        {
            if (_moving.Contains(child) || IsWhole(child))
            {
                Move(child, _moving.Contains(child) ? EntryKind.File : EntryKind.Directory);
                if (directory.Length == 0)
                    continue; // Top-level indexes travel inside ROOT/.imap.
                string index = MigrationLayout.Join(directory, MailboxDiscovery.IndexDirectory);
                string childIndex = MigrationLayout.Join(index, HomeTree.Split(child).Name);
                if (tree.Probe(layout.Legacy(childIndex)) is { IsDirectory: true } indexStatus && indexStatus.Uid == uid)
                {
                    EnsureDirectory(layout.Migrated(index), tree.Probe(layout.Legacy(index))!.Value.Permissions);
                    Move(childIndex, EntryKind.Directory);
                }
            }
            else
            {
                FileStatus? source = tree.Probe(layout.Legacy(child));
                if (source is not { IsDirectory: true } || source.Value.Uid != uid)
                {
                    Conflicts.Add(new PlanConflict(layout.Legacy(child), $"the folder is not a directory owned by {user}"));
                    continue;
                }
                EnsureDirectory(layout.Migrated(child), source.Value.Permissions);
                PlanLevel(child);
            }
        }
    }

    // Moving mailboxes and folders directly below a directory, in a stable order: grouped by parent
    // once, so a plan of 100,000 mailboxes in many folders costs one pass, not one per folder.
    private List<string> Children(string directory)
    {
        if (_children is null)
        {
            _children = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (string name in _moving.Concat(_folders).Where(n => n.Length > 0))
            {
                string parent = HomeTree.Split(name).Parent;
                if (!_children.TryGetValue(parent, out List<string>? list))
                    _children[parent] = list = [];
                list.Add(name);
            }
            foreach (List<string> list in _children.Values)
                list.Sort(StringComparer.Ordinal);
        }
        return _children.TryGetValue(directory, out List<string>? children) ? children : [];
    }

    /// <summary>True when the folder holds nothing but moving mailboxes, whole subfolders and their indexes, all the user's.</summary>
    private bool IsWhole(string folder)
    {
        if (_whole.TryGetValue(folder, out bool known))
            return known;
        bool whole = WholeUncached(folder);
        _whole[folder] = whole;
        return whole;
    }

    private bool WholeUncached(string folder)
    {
        if (!discovery.Listings.TryGetValue(folder, out List<(string Name, FileStatus Status)>? entries))
            return false;
        if (tree.Probe(layout.Legacy(folder)) is not { IsDirectory: true } self || self.Uid != uid)
            return false;
        foreach ((string entry, FileStatus status) in entries)
        {
            if (status.Uid != uid)
                return false;
            string name = MigrationLayout.Join(folder, entry);
            if (entry == MailboxDiscovery.IndexDirectory)
            {
                if (!status.IsDirectory || !discovery.Listings.TryGetValue(name, out List<(string Name, FileStatus Status)>? indexes))
                    return false;
                foreach ((string index, FileStatus indexStatus) in indexes)
                {
                    string indexed = MigrationLayout.Join(folder, index);
                    if (!indexStatus.IsDirectory || indexStatus.Uid != uid || !(_moving.Contains(indexed) || (_folders.Contains(indexed) && IsWhole(indexed))))
                        return false;
                }
            }
            else if (status.IsRegularFile ? !_moving.Contains(name) : !(status.IsDirectory && _folders.Contains(name) && IsWhole(name)))
            {
                return false;
            }
        }
        return true;
    }

    private void MoveIfPresent(string name, EntryKind kind)
    {
        FileStatus? status = tree.Probe(layout.Legacy(name));
        if (status is null)
            return;
        if (kind == EntryKind.Directory ? !status.Value.IsDirectory : !status.Value.IsRegularFile)
        {
            Notes.Add(new PlanNote(layout.Legacy(name), $"not a {(kind == EntryKind.Directory ? "directory" : "regular file")} (a symlink?): left"));
            return;
        }
        Move(name, kind);
    }

    private void Move(string name, EntryKind kind)
    {
        string from = layout.Legacy(name);
        string to = layout.Migrated(name);
        FileStatus? source = tree.Probe(from, out bool blocked);
        if (source is null || blocked)
        {
            Conflicts.Add(new PlanConflict(from, "vanished while planning"));
            return;
        }
        FileStatus s = source.Value;
        if (kind == EntryKind.Directory ? !s.IsDirectory : !s.IsRegularFile)
            Conflicts.Add(new PlanConflict(from, $"expected a {kind.ToString().ToLowerInvariant()}"));
        if (s.Uid != uid)
            Conflicts.Add(new PlanConflict(from, $"owned by uid {s.Uid}, not by {user} (uid {uid})"));
        FileStatus? target = tree.Probe(to, out bool targetBlocked);
        if (target is not null)
            Conflicts.Add(new PlanConflict(to, "the destination already exists"));
        else if (targetBlocked)
            Conflicts.Add(new PlanConflict(to, "a parent of the destination is a symlink or not a directory"));
        else if (DeviceOf(HomeTree.Split(to).Parent) != s.Device)
            Conflicts.Add(new PlanConflict(from, "on a different filesystem from its destination; rename(2) cannot move it"));
        Steps.Add(new MoveEntry(from, to, kind, ObjectIdentity.Of(s)));
    }

    // The filesystem a rename into the directory lands on, once per directory.
    private ulong DeviceOf(string directory)
    {
        if (!_deviceOf.TryGetValue(directory, out ulong device))
            _deviceOf[directory] = device = tree.NearestExisting(directory).Device;
        return device;
    }

    // Plans the directories leading to (and including) path on the migrated side; existing ones are kept.
    private void EnsureDirectory(string path, uint mode)
    {
        string sofar = "";
        foreach (string part in DirectoryHandle.Components(path))
        {
            sofar = MigrationLayout.Join(sofar, part);
            if (_created.Contains(sofar))
                continue;
            FileStatus? existing = tree.Probe(sofar, out bool blocked);
            if (existing is { IsDirectory: true } && (existing.Value.Uid == uid || sofar != path))
                continue;
            if (existing is not null || blocked)
            {
                Conflicts.Add(new PlanConflict(sofar, existing is { IsDirectory: true } ? $"exists but is owned by uid {existing.Value.Uid}" : "exists and is not a directory (or lies behind a symlink)"));
                return;
            }
            _created.Add(sofar);
            Steps.Add(new CreateDirectory(sofar, mode));
        }
    }
}
