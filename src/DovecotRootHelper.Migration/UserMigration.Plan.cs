using DovecotRootHelper.Decision;
using DovecotRootHelper.Locations;
using DovecotRootHelper.Mailboxes;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Migration;

public sealed partial class UserMigration
{
    /// <summary>How accounts are looked up; getpwnam by default, replaceable in tests.</summary>
    public Func<string, UnixAccount?> FindAccount { get; init; } = UnixAccount.Find;

    /// <summary>What to do about the user's mail filters that name moving paths (<c>--filter-references</c>).</summary>
    public FilterReferenceHandling FilterReferences { get; init; }

    /// <summary>
    /// Evidence every plan consults besides the selection's own (the usage database's logged
    /// mailboxes), so that a plan made again by migrate or resume sees what plan saw.
    /// </summary>
    public IReadOnlyList<IMailboxEvidenceSource> EvidenceSources { get; init; } = [];

    /// <summary>The dry run: discovers the user's mailboxes and decides every step. Touches nothing.</summary>
    public MigrationPlan Plan(string user, MailboxSelection selection) => Plan(user, selection, allowMigrating: false);

    /// <summary>The user's current state, as the login hook would decide it.</summary>
    public UserState CurrentState(string user)
    {
        UnixAccount account = Account(user);
        return Decide(account).State;
    }

    private MigrationPlan Plan(string user, MailboxSelection selection, bool allowMigrating)
    {
        ArgumentNullException.ThrowIfNull(selection);
        if (EvidenceSources.Count > 0)
            selection = selection with { Sources = [.. selection.Sources, .. EvidenceSources] };
        UnixAccount account = Account(user);
        RootDecision decision = Decide(account);
        MigrationLayout layout = Layout(account);
        using var tree = new HomeTree(account.Home);
        var conflicts = new List<PlanConflict>();
        if (decision.State != UserState.Legacy && !(allowMigrating && decision.State == UserState.Migrating))
            conflicts.Add(new PlanConflict("", $"{user} is in state {decision.State.ToName()}, not legacy ({decision.Why})"));

        using HomeTree? indexTree = SeparateTree(layout.IndexRoot);
        using HomeTree? controlTree = SeparateTree(layout.ControlRoot);
        var discovery = new MailboxDiscovery(tree, layout, account.Uid) { IndexTree = indexTree, ControlTree = controlTree };
        discovery.Run(user, selection);
        List<Mailbox> mailboxes = discovery.Mailboxes();
        var builder = new PlanBuilder(tree, layout, discovery, user, account.Uid);
        builder.Build(mailboxes);
        conflicts.AddRange(builder.Conflicts);
        conflicts.AddRange(UnreadableTrees(layout));
        var filters = new MailFilterScan(tree, layout, user, account.Uid, FilterReferences, deliveriesByUserdb: Config.UserdbFile is not null);
        filters.Run(builder.Steps, mailboxes);
        conflicts.AddRange(filters.Conflicts);
        return new MigrationPlan(
            user, account.Uid, account.Gid, tree.Home, layout.LegacyRoot, layout.MigratedRoot,
            mailboxes, [.. builder.Steps, .. filters.Symlinks], [.. SeparateTreeNotes(layout), .. discovery.Notes, .. builder.Notes, .. filters.Notes], conflicts)
        {
            FilterReferences = filters.References,
        };
    }

    /// <summary>
    /// An INDEX= or CONTROL= tree outside the roots, opened for reading only (its last component
    /// not followed if a symlink); null when there is none or Dovecot has not created it yet.
    /// </summary>
    private static HomeTree? SeparateTree(string? root)
    {
        if (root is null || Sys.LinkStatusOrNull(root) is not { IsDirectory: true })
            return null;
        return new HomeTree(root);
    }

    // A tree that exists but cannot be read without following a link: its evidence would be missed
    // silently, and a mailbox known only from its index would stay behind, out of the client's sight.
    private static IEnumerable<PlanConflict> UnreadableTrees(MigrationLayout layout)
    {
        foreach ((string? root, string key) in new[] { (layout.IndexRoot, "INDEX"), (layout.ControlRoot, "CONTROL") })
        {
            if (root is not null && Sys.LinkStatusOrNull(root) is { IsDirectory: false })
                yield return new PlanConflict(root, $"the {key}= tree is not a directory (a symlink?): not followed, so what it holds cannot be read");
        }
    }

    private static IEnumerable<PlanNote> SeparateTreeNotes(MigrationLayout layout)
    {
        if (layout.IndexRoot is { } index)
            yield return new PlanNote(index, "INDEX= is the same in both locations: the index directories are named after the mailboxes, which keep their names, so they stay");
        if (layout.ControlRoot is { } control)
            yield return new PlanNote(MigrationLayout.Join(control, layout.SubscriptionsName), "CONTROL= is the same in both locations: the subscriptions file holds names, not paths, so it stays");
    }

    private UnixAccount Account(string user)
    {
        UnixAccount account = FindAccount(user) ?? throw new MigrationException($"{user}: no such Unix account");
        if (!Path.IsPathRooted(account.Home) || account.Home.TrimEnd('/').Length == 0)
            throw new MigrationException($"{user}: the home directory '{account.Home}' is not an absolute path below /");
        return account;
    }

    private RootDecision Decide(UnixAccount account)
    {
        StateEntry? entry = null;
        if (Sys.LinkStatusOrNull(Config.StateFile) is not null)
        {
            StateFileContents contents = StateFileReader.ReadAll(Config.StateFile);
            if (!contents.IsValid)
                throw new MigrationException($"{Config.StateFile}: {contents.Problems[0].Message}");
            entry = contents.Find(account.Name);
        }
        try
        {
            return RootDecision.Decide(Config, account.Name, account.Home, account.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture), entry);
        }
        catch (LocationException e)
        {
            throw new MigrationException($"{account.Name}: {e.Message}", e);
        }
    }

    private MigrationLayout Layout(UnixAccount account)
    {
        // Unset, legacy users' mailboxes are wherever Dovecot's own mail_location says, which a userdb
        // may override per user: rather than guess where to move files from as root, ask the admin.
        if (Config.Legacy is null)
            throw new MigrationException($"{Config.Path}: [locations] legacy is unset, so imaproot does not know where {account.Name}'s mailboxes are: set it to Dovecot's mail_location (imaproot check compares the two)");
        try
        {
            return MigrationLayout.Resolve(account.Name, account.Home, Config.Legacy.Expand(account.Name, account.Home), Config.Migrated.Expand(account.Name, account.Home));
        }
        catch (LocationException e)
        {
            throw new MigrationException($"{account.Name}: {e.Message}", e);
        }
    }
}
