namespace DovecotRootHelper.Migration;

/// <summary>How a migrate, resume or rollback ended.</summary>
public sealed record MigrationResult(string User, State.UserState FinalState, MigrationPlan Plan, int StepsDone, IReadOnlyList<string> Messages);
