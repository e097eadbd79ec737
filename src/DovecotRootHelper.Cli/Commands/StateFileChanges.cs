using DovecotRootHelper.State;

namespace DovecotRootHelper.Cli.Commands;

/// <summary>
/// What an edit changed: users added, removed, and whose state changed (notes aside); and the first
/// changed user who was or would be <c>migrating</c>, which only migrate, resume and rollback set.
/// </summary>
internal sealed record StateFileChanges(int Added, int Removed, int StateChanges, IReadOnlyList<string> Users, string? Migrating)
{
    public static StateFileChanges Between(StateFileContents before, StateFileContents after)
    {
        var old = new Dictionary<string, UserState>(StringComparer.Ordinal);
        foreach (StateEntry entry in before.Entries)
            old.TryAdd(entry.User, entry.State);
        int added = 0;
        int changed = 0;
        string? migrating = null;
        var users = new List<string>();
        foreach (StateEntry entry in after.Entries)
        {
            bool listed = old.Remove(entry.User, out UserState was);
            if (listed && was == entry.State)
                continue;
            if (listed)
                changed++;
            else
                added++;
            users.Add(entry.User);
            if (entry.State == UserState.Migrating || (listed && was == UserState.Migrating))
                migrating ??= entry.User;
        }
        foreach ((string user, UserState was) in old)
        {
            users.Add(user);
            if (was == UserState.Migrating)
                migrating ??= user;
        }
        return new StateFileChanges(added, old.Count, changed, users, migrating);
    }
}
