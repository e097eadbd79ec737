using DovecotRootHelper.Configuration;
using DovecotRootHelper.Decision;
using DovecotRootHelper.Locations;
using DovecotRootHelper.Mailboxes;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Migration;

/// <summary>
/// Decides what one migration does, touching nothing: the user's layout from the config, the
/// mailboxes from the evidence (<see cref="MailboxDiscovery"/>), the steps (<see cref="PlanBuilder"/>),
/// the mail filters that name them (<see cref="MailFilterScan"/>), and every conflict that stops it.
/// </summary>
internal sealed class MigrationPlanner(HelperConfig config, UserStates states, FilterReferenceHandling filterReferences, IReadOnlyList<IMailboxEvidenceSource> evidenceSources)
{
    /// <summary>
    /// The plan for the account as its home is now. <paramref name="allowMigrating"/>: the user may
    /// already be migrating (the plan made again once their sessions are closed).
    /// </summary>
    public MigrationPlan Plan(UnixAccount account, MailboxSelection selection, bool allowMigrating)
    {
        ArgumentNullException.ThrowIfNull(selection);
        if (evidenceSources.Count > 0)
            selection = selection with { Sources = [.. selection.Sources, .. evidenceSources] };
        string user = account.Name;
        RootDecision decision = states.Decide(account);
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
        var filters = new MailFilterScan(tree, layout, user, account.Uid, filterReferences, deliveriesByUserdb: config.UserdbFile is not null);
        filters.Run(builder.Steps, mailboxes);
        conflicts.AddRange(filters.Conflicts);
        return new MigrationPlan(
            user, account.Uid, account.Gid, tree.Home, layout.LegacyRoot, layout.MigratedRoot,
            mailboxes, [.. builder.Steps, .. filters.Symlinks], [.. SeparateTreeNotes(layout), .. discovery.Notes, .. builder.Notes, .. filters.Notes], conflicts)
        {
            FilterReferences = filters.References,
        };
    }

    /// <summary>A plan with a conflict is refused, naming the first: nothing was touched.</summary>
    public static void RequireExecutable(MigrationPlan plan)
    {
        if (plan.CanExecute)
            return;
        PlanConflict first = plan.Conflicts[0];
        string more = plan.Conflicts.Count > 1 ? $" (and {plan.Conflicts.Count - 1} more conflicts)" : "";
        throw MigrationException.Refusal($"{plan.User}: {(first.Path.Length > 0 ? first.Path + ": " : "")}{first.Reason}{more}");
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

    private MigrationLayout Layout(UnixAccount account)
    {
        // Unset, legacy users' mailboxes are wherever Dovecot's own mail_location says, which a userdb
        // may override per user: rather than guess where to move files from as root, ask the admin.
        if (config.Legacy is null)
            throw new MigrationException($"{config.Path}: [locations] legacy is unset, so imaproot does not know where {account.Name}'s mailboxes are: set it to Dovecot's mail_location (imaproot check compares the two)");
        try
        {
            return MigrationLayout.Resolve(account.Name, account.Home, config.Legacy.Expand(account.Name, account.Home), config.Migrated.Expand(account.Name, account.Home));
        }
        catch (LocationException e)
        {
            throw new MigrationException($"{account.Name}: {e.Message}", e);
        }
    }
}
