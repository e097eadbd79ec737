using System.Text;
using DovecotRootHelper.Posix;

namespace DovecotRootHelper.Migration;

/// <summary>
/// Finds the user's own mail filters that name what the plan moves: .procmailrc and the rc files it
/// includes (INCLUDERC=, SWITCHRC=), .forward, .mailfilter, ~/.dovecot.sieve and ~/sieve/*.sieve. Each is read as root through the
/// home's directory handles (never through a symlink, at most <see cref="FileLimit"/> bytes), and
/// only when the user could read it too: owned by the user, or readable by everyone (a root-only
/// file planted or linked into the home and named by INCLUDERC is not read, so no word of it is
/// shown). A file that cannot be read that way cannot be checked, which blocks the migration like a
/// reference until the administrator confirms it. Then, per <see cref="FilterReferenceHandling"/>, a
/// reference blocks the migration, gets a symlink at the old path, or is taken as handled.
/// </summary>
internal sealed class MailFilterScan(HomeTree tree, MigrationLayout layout, string user, uint uid, FilterReferenceHandling handling, bool deliveriesByUserdb)
{
    public const int FileLimit = 1 << 20;
    private const int DirectoryLimit = 200;
    private const int IncludeLimit = 50;
    private const string SieveDirectory = "sieve";
    private const string ActiveSieve = ".dovecot.sieve";
    private const uint OthersRead = 0b000_000_100;

    private static readonly (string Path, FilterSyntax? Syntax)[] Files =
    [
        (".procmailrc", FilterSyntax.Procmail), (".forward", FilterSyntax.Forward), (".mailfilter", FilterSyntax.Maildrop), (ActiveSieve, null),
    ];

    private readonly HashSet<string> _included = new(StringComparer.Ordinal) { ".procmailrc" };
    private readonly HashSet<(string File, int Line, string Moves)> _seen = [];
    private Dictionary<string, Mailbox>? _moving;

    public List<FilterReference> References { get; } = [];

    public List<PlanConflict> Conflicts { get; } = [];

    public List<PlanNote> Notes { get; } = [];

    /// <summary>The symlinks to leave (with <see cref="FilterReferenceHandling.Symlink"/>), after every move.</summary>
    public List<CreateSymlink> Symlinks { get; } = [];

    public void Run(IReadOnlyList<PlanStep> steps, IReadOnlyList<Mailbox> mailboxes)
    {
        Dictionary<string, MoveEntry> moves = steps.OfType<MoveEntry>()
            .Where(m => !m.From.Split('/').Contains(MailboxDiscovery.IndexDirectory) && m.From != layout.Legacy(layout.SubscriptionsName))
            .ToDictionary(m => m.From, StringComparer.Ordinal);
        if (moves.Count == 0)
            return;
        foreach ((string path, FilterSyntax? syntax) in Files)
            Check(path, syntax, moves, mailboxes);
        FileStatus? sieve = tree.Probe(SieveDirectory);
        if (sieve is { IsDirectory: false })
            Unchecked(SieveDirectory, "not a directory (a symlink?): not followed");
        else if (sieve is not null && tree.List(SieveDirectory) is { } entries)
        {
            if (entries.Count > DirectoryLimit)
                Unchecked(SieveDirectory, $"holds {entries.Count} entries, more than the {DirectoryLimit} imaproot reads");
            else
            {
                foreach ((string name, _) in entries.Where(e => e.Name.EndsWith(".sieve", StringComparison.Ordinal) && e.Name[0] != '.').OrderBy(e => e.Name, StringComparer.Ordinal))
                    Check(SieveDirectory + "/" + name, null, moves, mailboxes);
            }
        }
    }

    private void Check(string path, FilterSyntax? syntax, Dictionary<string, MoveEntry> moves, IReadOnlyList<Mailbox> mailboxes, IReadOnlyList<string>? inherited = null)
    {
        FileStatus? status = tree.Probe(path);
        if (status is null)
            return;
        if (status.Value.IsSymbolicLink)
        {
            // Pigeonhole makes ~/.dovecot.sieve a link to the active script in ~/sieve, read there.
            string? target = tree.ReadLink(path);
            if (path == ActiveSieve && target is not null && target.StartsWith(SieveDirectory + "/", StringComparison.Ordinal)
                && target.Count(c => c == '/') == 1 && target.EndsWith(".sieve", StringComparison.Ordinal))
                Notes.Add(new PlanNote(path, $"a symlink to {target}: not followed; that script is checked in {SieveDirectory}/"));
            else
                Unchecked(path, "a symlink: not followed");
            return;
        }
        if (!status.Value.IsRegularFile)
        {
            Unchecked(path, "not a regular file");
            return;
        }
        if (status.Value.Uid != uid && (status.Value.Permissions & OthersRead) == 0)
        {
            // Procmail, the MDA and Sieve read it as the user: what the user cannot read filters nothing,
            // and root reading it for them would show another's words. (Group read is not asked about.)
            Unchecked(path, $"owned by uid {status.Value.Uid}, mode {Convert.ToString(status.Value.Permissions, 8)}: {user} may not be able to read it; not read");
            return;
        }
        if (status.Value.Size > FileLimit)
        {
            Unchecked(path, $"larger than {FileLimit} bytes");
            return;
        }
        string text;
        try
        {
            text = Encoding.UTF8.GetString(tree.Read(path, FileLimit));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Unchecked(path, e.Message);
            return;
        }
        if (syntax is { } paths)
        {
            try
            {
                if (paths == FilterSyntax.Procmail)
                    FollowIncludes(path, text, moves, mailboxes, inherited ?? []);
                foreach ((int line, string written, string named) in FilterPathWords.Scan(text, paths, tree.Home, inherited ?? []))
                {
                    if (Covering(moves, named) is { } move)
                        Add(path, line, written, move, sieve: false);
                }
            }
            catch (InvalidDataException e)
            {
                Unchecked(path, e.Message);
            }
            return;
        }
        _moving ??= mailboxes.Where(m => m.Disposition == MailboxDisposition.Moves)
            .SelectMany(m => new[] { (Key: m.DisplayName, Box: m), (Key: m.Name, Box: m) })
            .DistinctBy(e => e.Key, StringComparer.Ordinal)
            .ToDictionary(e => e.Key, e => e.Box, StringComparer.Ordinal);
        foreach ((int line, string name) in SieveFileinto.Scan(text))
        {
            if (_moving.TryGetValue(name, out Mailbox? box) && Covering(moves, layout.Legacy(box.Name)) is { } move)
                Add(path, line, $"fileinto \"{name}\"", move, sieve: true);
        }
    }

    // procmail reads the rc files an rc file includes: they are filters of their own.
    private void FollowIncludes(string file, string text, Dictionary<string, MoveEntry> moves, IReadOnlyList<Mailbox> mailboxes, IReadOnlyList<string> inherited)
    {
        foreach ((int line, string written, List<string> candidates) in FilterPathWords.ProcmailIncludes(text, tree.Home, inherited, out List<string> maildirs))
        {
            if (candidates.Count == 0)
                Unchecked($"{file}:{line}", $"includes {written}, which imaproot cannot resolve to a file in the home");
            foreach (string included in candidates)
            {
                if (_included.Count >= IncludeLimit)
                {
                    Unchecked($"{file}:{line}", $"includes more than {IncludeLimit} rc files");
                    return;
                }
                if (_included.Add(included))
                    Check(included, FilterSyntax.Procmail, moves, mailboxes, maildirs);
            }
        }
    }

    // The move of the path itself or of the nearest parent that moves: a lookup per component,
    // so a filter of many words costs no more per word than its depth.
    private static MoveEntry? Covering(Dictionary<string, MoveEntry> moves, string path)
    {
        for (string p = path; p.Length > 0; p = HomeTree.Split(p).Parent)
        {
            if (moves.TryGetValue(p, out MoveEntry? move))
                return move;
        }
        return null;
    }

    private void Add(string file, int line, string written, MoveEntry move, bool sieve)
    {
        if (!_seen.Add((file, line, move.From)))
            return;
        FilterReferenceResolution resolution = sieve && deliveriesByUserdb ? FilterReferenceResolution.ByName : handling switch
        {
            FilterReferenceHandling.Symlink => FilterReferenceResolution.Symlink,
            FilterReferenceHandling.Confirmed => FilterReferenceResolution.Confirmed,
            _ => FilterReferenceResolution.Unresolved,
        };
        var reference = new FilterReference(file, line, written, move.From, move.To, resolution);
        References.Add(reference);
        if (resolution == FilterReferenceResolution.Unresolved)
        {
            string why = sieve ? "deliveries look for it under the old root ([state] userdb is not set)" : "the filter would keep delivering there";
            Conflicts.Add(new PlanConflict(reference.Where, $"{written} names {move.From}, which moves to {move.To}; {why}: edit the filter, or use --filter-references=symlink or --filter-references=confirmed"));
        }
        else if (resolution == FilterReferenceResolution.Symlink && !Symlinks.Any(s => s.Path == move.From))
        {
            Symlinks.Add(new CreateSymlink(move.From, RelativeTarget(move.From, move.To)));
        }
    }

    private void Unchecked(string path, string why)
    {
        if (handling == FilterReferenceHandling.Confirmed)
            Notes.Add(new PlanNote(path, $"a mail filter that cannot be checked ({why}); confirmed by the administrator"));
        else
            Conflicts.Add(new PlanConflict(path, $"a mail filter that cannot be checked for references to {user}'s moving mailboxes ({why}): check it by hand, then use --filter-references=confirmed"));
    }

    /// <summary>The link text that leads from the directory of <paramref name="link"/> to <paramref name="target"/>, both relative to the home.</summary>
    public static string RelativeTarget(string link, string target)
    {
        string[] from = DirectoryHandle.Components(HomeTree.Split(link).Parent);
        string[] to = DirectoryHandle.Components(target);
        int common = 0;
        while (common < from.Length && common < to.Length - 1 && from[common] == to[common])
            common++;
        return string.Join('/', Enumerable.Repeat("..", from.Length - common).Concat(to[common..]));
    }
}
