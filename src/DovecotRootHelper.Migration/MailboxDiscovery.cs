using DovecotRootHelper.Mailboxes;
using DovecotRootHelper.Posix;

namespace DovecotRootHelper.Migration;

/// <summary>
/// Finds a user's candidate mailboxes and the evidence for each: the subscriptions file, the index
/// directories (ROOT/.imap/NAME, ROOT/a/.imap/b for a/b), the administrator's names and any further
/// sources. It lists only the root's .imap and the directories that candidate names lead to (and
/// their .imap), so its cost follows the number of candidates, never the size of the home.
/// </summary>
internal sealed class MailboxDiscovery(HomeTree tree, MigrationLayout layout, uint uid)
{
    public const string IndexDirectory = ".imap";
    private const int SubscriptionsLimit = 16 << 20;

    public SortedDictionary<string, MailboxEvidence> Evidence { get; } = new(StringComparer.Ordinal);

    public List<PlanNote> Notes { get; } = [];

    /// <summary>Listings of the directories looked at, by path relative to the legacy root (".imap", "a", "a/.imap"...).</summary>
    public Dictionary<string, List<(string Name, FileStatus Status)>> Listings { get; } = new(StringComparer.Ordinal);

    /// <summary>The index tree (INDEX=), read only, when the locations set one; its .imap directories are the evidence then.</summary>
    public HomeTree? IndexTree { get; init; }

    /// <summary>The control tree (CONTROL=), read only, when the locations set one: the subscriptions file is there.</summary>
    public HomeTree? ControlTree { get; init; }

    public void Run(string user, MailboxSelection selection)
    {
        ReadSubscriptions();
        foreach (string name in selection.Given)
            Add(name, MailboxEvidence.Given, "given by the administrator");
        foreach (IMailboxEvidenceSource source in selection.Sources)
        {
            foreach (string name in source.MailboxNames(user))
                Add(name, source.Kind, $"from {source.Kind} evidence");
        }
        FindIndexes();
        NoteUnexplainedFiles();
    }

    /// <summary>
    /// The mailboxes found, with the disposition the object on disk allows. Only mailboxes move: a
    /// regular file that is empty (Dovecot's CREATE) or starts with the mbox "From " line, never a
    /// dot-entry at the home's top level. A directory named by evidence is a folder when the plan
    /// moves a mailbox below it; anything else named by evidence is reported and left.
    /// </summary>
    public List<Mailbox> Mailboxes()
    {
        var found = new List<(string Name, MailboxEvidence Evidence, MailboxDisposition? Disposition, PlanNote? Note)>();
        foreach ((string name, MailboxEvidence evidence) in Evidence)
        {
            string path = layout.Legacy(name);
            FileStatus? status = tree.Probe(path, out bool blocked);
            if (blocked)
                found.Add((name, evidence, MailboxDisposition.LeftInPlace, new PlanNote(path, "a parent is a symlink or not a directory; not followed")));
            else if (status is null)
                found.Add((name, evidence, MailboxDisposition.Missing, evidence == MailboxEvidence.Indexed ? null : new PlanNote(path, $"{Describe(evidence)} but no such file: nothing to move")));
            else if (IsHomeDotEntry(name))
                found.Add((name, evidence, MailboxDisposition.LeftInPlace, new PlanNote(path, "a dot-entry at the home's top level: never moved")));
            else if (status.Value.IsDirectory && evidence == MailboxEvidence.Indexed)
                continue; // A folder Dovecot merely listed: its mailboxes are candidates of their own.
            else if (name == layout.InboxInLegacyRoot || name.Equals("INBOX", StringComparison.OrdinalIgnoreCase))
                found.Add((name, evidence, MailboxDisposition.LeftInPlace, new PlanNote(path, "the INBOX file is never moved")));
            else if (status.Value.IsSymbolicLink)
                found.Add((name, evidence, MailboxDisposition.LeftInPlace, new PlanNote(path, "a symlink: never moved or followed")));
            else if (status.Value.IsDirectory)
                found.Add((name, evidence, null, null)); // Decided below, once the moving mailboxes are known.
            else if (!status.Value.IsRegularFile)
                found.Add((name, evidence, MailboxDisposition.LeftInPlace, new PlanNote(path, "not a regular file: left")));
            else if (status.Value.Size > 0 && !LooksLikeMbox(path))
                // A client can SUBSCRIBE any file under a $HOME root, and a full LIST creates an
                // index directory for every file it meets (seen with 2.3.19: .bashrc, notes.txt), so
                // neither makes a file that is not an mbox a mailbox; Dovecot cannot open it as one.
                found.Add((name, evidence, MailboxDisposition.LeftInPlace, new PlanNote(path, $"{Describe(evidence)} but not an mbox (neither empty nor starting with \"From \"): not moved")));
            else
                found.Add((name, evidence, MailboxDisposition.Moves, null));
        }

        var folders = found.Where(f => f.Disposition == MailboxDisposition.Moves).SelectMany(f => MailboxNameRules.Parents(f.Name)).ToHashSet(StringComparer.Ordinal);
        var result = new List<Mailbox>(found.Count);
        foreach ((string name, MailboxEvidence evidence, MailboxDisposition? decided, PlanNote? note) in found)
        {
            MailboxDisposition disposition = decided ?? (folders.Contains(name) ? MailboxDisposition.Folder : MailboxDisposition.LeftInPlace);
            if (note is not null)
                Notes.Add(note);
            else if (decided is null && disposition == MailboxDisposition.LeftInPlace)
                Notes.Add(new PlanNote(layout.Legacy(name), $"{Describe(evidence)} but a directory holding no mailbox that moves: not moved"));
            result.Add(new Mailbox(name, ModifiedUtf7.Decode(name), evidence, disposition));
        }
        return result;
    }

    /// <summary>
    /// True for a name at or below a dot-entry of the home's top level (.bashrc, .profile, .forward,
    /// .ssh/...): with the legacy root at the home these are the user's shell, mail forwarding and
    /// keys, never moved whatever they hold. Dovecot's own (.imap, the subscriptions file) are moved
    /// by the plan as the root's, not as mailboxes.
    /// </summary>
    private bool IsHomeDotEntry(string name) => layout.LegacyRoot.Length == 0 && name.StartsWith('.');

    private void ReadSubscriptions()
    {
        if (layout.ControlRoot is not null && ControlTree is null)
            return; // CONTROL= names a directory Dovecot has not created: nothing subscribed yet.
        HomeTree source = ControlTree ?? tree;
        string path = ControlTree is null ? layout.Legacy(layout.SubscriptionsName) : layout.SubscriptionsName;
        FileStatus? status = source.Probe(path);
        if (status is null)
            return;
        if (!status.Value.IsRegularFile)
        {
            Notes.Add(new PlanNote(path, "the subscriptions file is not a regular file (a symlink?): not read, not moved"));
            return;
        }
        foreach (string name in SubscriptionsFile.Parse(source.Read(path, SubscriptionsLimit)))
            Add(name, MailboxEvidence.Subscribed, "subscribed");
    }

    private void FindIndexes()
    {
        var queue = new Queue<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Enqueue(string directory)
        {
            // Nothing below a top-level dot-entry moves, so nothing there is listed or read.
            if (!IsHomeDotEntry(directory) && seen.Add(directory))
                queue.Enqueue(directory);
        }
        Enqueue("");
        foreach (string name in Evidence.Keys.ToList())
        {
            foreach (string parent in MailboxNameRules.Parents(name))
                Enqueue(parent);
        }
        while (queue.Count > 0)
        {
            string directory = queue.Dequeue();
            List<(string Name, FileStatus Status)>? here = List(directory);
            if (here is null)
                continue;
            // A folder Dovecot only traversed (mail/Lists holding mail/Lists/debian) gets no index
            // directory of its own in its parent's .imap (seen with 2.3.19), so a subfolder with a
            // .imap of its own is looked into too. Only folders Dovecot has indexed are entered:
            // the cost follows Dovecot's footprint, not the number of files in the home.
            foreach ((string entry, FileStatus status) in here)
            {
                if (status.IsDirectory && entry[0] != '.' && HasIndexDirectory(MigrationLayout.Join(directory, entry)))
                    Enqueue(MigrationLayout.Join(directory, entry));
            }
            List<(string Name, FileStatus Status)>? entries = IndexEntries(directory);
            if (entries is null)
                continue;
            foreach ((string entry, FileStatus status) in entries)
            {
                if (!status.IsDirectory || (directory.Length == 0 && entry.Equals("INBOX", StringComparison.OrdinalIgnoreCase)))
                    continue;
                string name = MigrationLayout.Join(directory, entry);
                if (!Add(name, MailboxEvidence.Indexed, "indexed"))
                    continue;
                if (tree.Probe(layout.Legacy(name)) is { IsDirectory: true })
                    Enqueue(name);
            }
        }
    }

    // DIR/.imap in the mailbox tree, or in the index tree with INDEX=.
    private bool HasIndexDirectory(string folder)
    {
        string index = MigrationLayout.Join(folder, IndexDirectory);
        if (layout.IndexRoot is null)
            return tree.Probe(layout.Legacy(index)) is { IsDirectory: true };
        return IndexTree?.Probe(index) is { IsDirectory: true };
    }

    private List<(string Name, FileStatus Status)>? IndexEntries(string directory)
    {
        string index = MigrationLayout.Join(directory, IndexDirectory);
        if (layout.IndexRoot is null)
            return List(index);
        return IndexTree?.Probe(index) is { IsDirectory: true } ? IndexTree.List(index) : null;
    }

    // Files in the directories looked at that start like an mbox but nothing points to.
    private void NoteUnexplainedFiles()
    {
        foreach ((string directory, List<(string Name, FileStatus Status)> entries) in Listings)
        {
            if (directory.Length == 0 || directory.EndsWith(IndexDirectory, StringComparison.Ordinal))
                continue;
            foreach ((string entry, FileStatus status) in entries)
            {
                string name = MigrationLayout.Join(directory, entry);
                string path = layout.Legacy(name);
                if (status.IsSymbolicLink && !Evidence.ContainsKey(name))
                    Notes.Add(new PlanNote(path, "a symlink: never moved or followed"));
                else if (status.IsRegularFile && !Evidence.ContainsKey(name) && entry[0] != '.' && status.Uid == uid && LooksLikeMbox(path))
                    Notes.Add(new PlanNote(path, "looks like an mbox but has no evidence: left in place"));
            }
        }
    }

    private bool LooksLikeMbox(string path)
    {
        try
        {
            return tree.Read(path, 5).AsSpan().SequenceEqual("From "u8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private List<(string Name, FileStatus Status)>? List(string directory)
    {
        if (Listings.TryGetValue(directory, out List<(string Name, FileStatus Status)>? cached))
            return cached;
        if (tree.Probe(layout.Legacy(directory)) is not { IsDirectory: true })
            return null;
        List<(string Name, FileStatus Status)>? entries = tree.List(layout.Legacy(directory));
        if (entries is not null)
            Listings[directory] = entries;
        return entries;
    }

    private bool Add(string name, MailboxEvidence kind, string why)
    {
        if (name.Equals("INBOX", StringComparison.OrdinalIgnoreCase))
            return false; // INBOX lives outside the root (INBOX=); its index moves with ROOT/.imap.
        if (name == layout.SubscriptionsName)
        {
            // The plan moves it as the root's subscriptions file; as a mailbox it would be moved twice.
            Notes.Add(new PlanNote(layout.Legacy(name), $"'{name}' ({why}) is the subscriptions file, not a mailbox: ignored"));
            return false;
        }
        if (!MailboxNameRules.IsUsable(name))
        {
            Notes.Add(new PlanNote(name, $"'{name}' ({why}) is not a usable mailbox name: ignored"));
            return false;
        }
        if (MailboxNameRules.HasOverlongComponent(name))
        {
            // No file can have such a name (openat would fail with ENAMETOOLONG): a note, never an abort.
            Notes.Add(new PlanNote(name, $"{why}, but a component is longer than {MailboxNameRules.NameMax} bytes, more than a file name can be: ignored"));
            return false;
        }
        bool added = !Evidence.TryGetValue(name, out MailboxEvidence existing);
        Evidence[name] = existing | kind;
        return added;
    }

    private static string Describe(MailboxEvidence evidence) =>
        string.Join(", ", Enum.GetValues<MailboxEvidence>().Where(e => e != 0 && evidence.HasFlag(e)).Select(e => e.ToString().ToLowerInvariant()));
}
