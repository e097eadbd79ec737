namespace DovecotRootHelper.Migration;

/// <summary>A batch migration's outcome, one result per user in the order given.</summary>
public sealed record BatchResult(DateTime Started, DateTime Finished, IReadOnlyList<BatchMemberResult> Members)
{
    public int Migrated => Members.Count(m => m.FinalState == State.UserState.Migrated);

    public int Failed => Members.Count - Migrated;
}
