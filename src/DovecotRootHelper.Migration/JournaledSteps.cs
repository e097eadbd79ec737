using System.Globalization;
using DovecotRootHelper.Durability;

namespace DovecotRootHelper.Migration;

/// <summary>
/// A journal's plan carried out: every step done in plan order (<see cref="Forward"/>) or undone in
/// reverse order (<see cref="Back"/>) by one loop, each recorded in the journal and made durable in
/// batches (<see cref="DurableProgress"/>), then every move verified. The state is never touched
/// here. A failure leaves the user migrating: the <see cref="MigrationException"/> carries the
/// resume command that finishes or undoes it.
/// </summary>
internal sealed class JournaledSteps(IMigrationObserver? observer)
{
    /// <summary>
    /// Every step done and recorded, every move verified: the journal reaches phase verified.
    /// Returns a line for each thing Dovecot had recreated in the way and that was set aside.
    /// </summary>
    public List<string> Forward(Journal journal)
    {
        MigrationPlan plan = journal.Plan;
        using var tree = new HomeTree(plan.Home);
        var runner = new StepRunner(tree, plan);
        observer?.PhaseStarted(plan.User, "moving");
        Walk(journal, tree, runner, back: false, $"user left migrating: fix that, then imaproot resume {plan.User}, or imaproot resume --rollback {plan.User}");
        journal.RecordPhase(JournalPhase.Moved);

        observer?.PhaseStarted(plan.User, "verifying");
        string? problem = plan.Steps.OfType<MoveEntry>().Select(m => runner.VerifyMoved(m, strict: true)).FirstOrDefault(p => p is not null);
        if (problem is not null)
            throw MigrationException.LeftMigrating($"{plan.User}: verification failed: {problem}", $"user left migrating: imaproot resume --rollback {plan.User}");
        journal.RecordPhase(JournalPhase.Verified);
        CrashPoint.Reached("after-verify");
        return SetAsideLines(runner);
    }

    /// <summary>
    /// Every step undone (phase rollback recorded first) and every move verified back. Returns a line
    /// for each thing Dovecot had recreated in the way and that was set aside.
    /// </summary>
    public List<string> Back(Journal journal)
    {
        MigrationPlan plan = journal.Plan;
        string remedy = $"user left migrating: fix that, then imaproot resume --rollback {plan.User}";
        if (!journal.RollingBack)
            journal.RecordPhase(JournalPhase.Rollback);
        using var tree = new HomeTree(plan.Home);
        var runner = new StepRunner(tree, plan);
        observer?.PhaseStarted(plan.User, "moving back");
        Walk(journal, tree, runner, back: true, remedy);
        string? problem = plan.Steps.OfType<MoveEntry>().Select(runner.VerifyRestored).FirstOrDefault(p => p is not null);
        if (problem is not null)
            throw MigrationException.LeftMigrating($"{plan.User}: rollback verification failed: {problem}", remedy);
        return SetAsideLines(runner);
    }

    // The one loop. Forwards, step i is done and recorded done; backwards, the steps are taken in
    // reverse, and a step recorded done is recorded undone. Each has its crash point right after
    // it acts, before its record (resume must find it already in place).
    private void Walk(Journal journal, HomeTree tree, StepRunner runner, bool back, string remedy)
    {
        MigrationPlan plan = journal.Plan;
        int count = plan.Steps.Count;
        var progress = new DurableProgress(tree, journal);
        try
        {
            for (int n = 0; n < count; n++)
            {
                int i = back ? count - 1 - n : n;
                PlanStep step = plan.Steps[i];
                observer?.StepStarted(plan.User, n, count, back ? DescribeBack(step) : Describe(step));
                if (back)
                {
                    runner.Undo(step);
                    CrashPoint.Reached("rollback-" + i.ToString(CultureInfo.InvariantCulture));
                    if (journal.Done.Contains(i))
                        journal.RecordStep(i, undone: true);
                }
                else
                {
                    runner.Do(step);
                    CrashPoint.ReachedStep(i);
                    if (!journal.Done.Contains(i))
                        journal.RecordStep(i);
                }
                progress.StepRecorded();
            }
        }
        catch (Exception e) when (e is MigrationException or IOException)
        {
            progress.SaveAfterFailure();
            throw MigrationException.LeftMigrating(e, remedy);
        }
        progress.Save();
    }

    private static List<string> SetAsideLines(StepRunner runner) =>
        [.. runner.SetAside.Select(s => "set aside what Dovecot had recreated: " + s)];

    /// <summary>A step as it is done, for the progress display.</summary>
    public static string Describe(PlanStep step) => step switch
    {
        CreateDirectory c => $"mkdir {c.Path}",
        MoveEntry m => $"{m.From} -> {m.To}",
        CreateSymlink l => $"symlink {l.Path} -> {l.Target}",
        _ => step.ToString() ?? "",
    };

    /// <summary>A step as it is undone: a move back shows the way it goes now, the others what is undone.</summary>
    public static string DescribeBack(PlanStep step) => step is MoveEntry m ? $"move back {m.To} -> {m.From}" : "undo " + Describe(step);
}
