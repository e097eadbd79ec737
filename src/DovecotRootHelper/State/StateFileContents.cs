namespace DovecotRootHelper.State;

/// <summary>A fully parsed state file: its entries in file order and every problem found.</summary>
public sealed record StateFileContents(string Path, IReadOnlyList<StateEntry> Entries, IReadOnlyList<StateFileException> Problems)
{
    public bool IsValid => Problems.Count == 0;

    public StateEntry? Find(string user) => Entries.FirstOrDefault(e => e.User == user);
}
