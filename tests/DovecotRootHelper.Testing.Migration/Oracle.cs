using DovecotRootHelper.Migration;

namespace DovecotRootHelper.Testing;

/// <summary>What a tree should look like: the home part of a snapshot, and a plan applied to it by hand.</summary>
public static class Oracle
{
    private const string HomePrefix = "home/alice/";

    /// <summary>The entries below the home, by path relative to it.</summary>
    public static SortedDictionary<string, TreeSnapshot.Entry> Home(TreeSnapshot snapshot) =>
        new(snapshot.Entries.Where(e => e.Key.StartsWith(HomePrefix, StringComparison.Ordinal))
            .ToDictionary(e => e.Key[HomePrefix.Length..], e => e.Value), StringComparer.Ordinal);

    /// <summary>The tree after every step of the plan: directories created, subtrees renamed (same objects).</summary>
    public static SortedDictionary<string, TreeSnapshot.Entry> Apply(SortedDictionary<string, TreeSnapshot.Entry> before, MigrationPlan plan)
    {
        var tree = new SortedDictionary<string, TreeSnapshot.Entry>(before, StringComparer.Ordinal);
        foreach (PlanStep step in plan.Steps)
        {
            if (step is CreateDirectory c)
            {
                tree[c.Path] = new TreeSnapshot.Entry('d', c.Mode, TestHome.Uid, TestHome.Gid, 0, 0, 0, 0, "");
            }
            else if (step is MoveEntry m)
            {
                foreach (string key in tree.Keys.Where(k => k == m.From || k.StartsWith(m.From + "/", StringComparison.Ordinal)).ToList())
                {
                    tree[m.To + key[m.From.Length..]] = tree[key];
                    tree.Remove(key);
                }
            }
        }
        return tree;
    }

    /// <summary>The home part of a snapshot taken after the plan ran; created directories have unpredictable inodes, so they are zeroed.</summary>
    public static SortedDictionary<string, TreeSnapshot.Entry> After(TreeSnapshot snapshot, MigrationPlan plan)
    {
        SortedDictionary<string, TreeSnapshot.Entry> tree = Home(snapshot);
        foreach (CreateDirectory c in plan.Steps.OfType<CreateDirectory>())
        {
            if (tree.TryGetValue(c.Path, out TreeSnapshot.Entry? e))
                tree[c.Path] = e with { Inode = 0 };
        }
        return tree;
    }
}
