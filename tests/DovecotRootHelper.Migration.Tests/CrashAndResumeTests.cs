using DovecotRootHelper.State;

namespace DovecotRootHelper.Migration.Tests;

/// <summary>
/// A crash after step N's effect but before its journal record, simulated in-process (the crash
/// points kill the process, and exist only in the crash-test build of imaproot, which
/// KilledMigrateIsResumedOrRolledBack kills at each): resume finishes to the same tree
/// an uninterrupted migration gives, and resume --rollback gives back the original tree.
/// </summary>
public class CrashAndResumeTests
{
    private static void Populate(TestHome home)
    {
        home.Mbox("Archive");
        home.Index("Archive");
        home.Mbox("mail/Sent");
        home.Index("mail/Sent");
        home.Mbox("mail/Keep");
        home.File("mail/notes.txt", "not mail");
        home.Mbox("whole/a");
        home.Mbox("whole/b");
        home.Index("whole/a");
        home.Subscribe("Archive", "mail/Sent", "whole/a", "whole/b");
    }

    private static int StepCount()
    {
        using var home = new TestHome();
        Populate(home);
        return home.Migration.Plan(TestHome.User, MailboxSelection.None).Steps.Count;
    }

    public static TheoryData<int, bool> Crashes()
    {
        var data = new TheoryData<int, bool>();
        for (int n = -1; n < StepCount(); n++)
        {
            data.Add(n, false);
            data.Add(n, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Crashes))]
    public void ResumeAfterACrashAtAnyStepEndsInTheExpectedTree(int crashAfterStep, bool rollback)
    {
        using var home = new TestHome();
        Populate(home);
        TreeSnapshot before = home.Snapshot();
        MigrationPlan plan = home.Migration.Plan(TestHome.User, MailboxSelection.None);
        Assert.True(plan.CanExecute);

        using (StateFileWriter writer = StateFileWriter.Lock(home.Config.StateFile))
            writer.SetState(TestHome.User, UserState.Migrating, "test");
        Journal journal = Journal.Create(home.Config.Migration.JournalDirectory, plan);
        using (var tree = new HomeTree(home.Home))
        {
            var runner = new StepRunner(tree, plan);
            for (int i = 0; i <= crashAfterStep; i++)
            {
                runner.Do(plan.Steps[i]);
                if (i < crashAfterStep)
                    journal.RecordStep(i);
            }
            journal.SavePending();
        }
        JournalSummary pending = Assert.IsType<JournalSummary>(home.Migration.Pending(TestHome.User));
        Assert.Equal(Math.Max(crashAfterStep, 0), pending.StepsDone);

        MigrationResult result = home.Migration.Resume(TestHome.User, rollback);
        TreeSnapshot after = home.Snapshot();
        if (rollback)
        {
            Assert.Equal(UserState.Legacy, result.FinalState);
            Assert.Equal(Oracle.Home(before), Oracle.Home(after));
            Assert.Null(home.Migration.Pending(TestHome.User));
        }
        else
        {
            Assert.Equal(UserState.Migrated, result.FinalState);
            Assert.Equal(Oracle.Apply(Oracle.Home(before), plan), Oracle.After(after, plan));
            // ...and the kept journal still allows a full rollback.
            home.Migration.Rollback(TestHome.User);
            Assert.Equal(Oracle.Home(before), Oracle.Home(home.Snapshot()));
        }
    }

    // Step records are saved in batches (DurableProgress), so a crash can lose the records of every
    // step done since the last save: here all of them, the journal holding the plan alone.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ResumeAfterACrashThatLostAWholeBatchOfRecords(bool rollback)
    {
        using var home = new TestHome();
        Populate(home);
        TreeSnapshot before = home.Snapshot();
        MigrationPlan plan = home.Migration.Plan(TestHome.User, MailboxSelection.None);
        using (StateFileWriter writer = StateFileWriter.Lock(home.Config.StateFile))
            writer.SetState(TestHome.User, UserState.Migrating, "test");
        Journal journal = Journal.Create(home.Config.Migration.JournalDirectory, plan);
        using (var tree = new HomeTree(home.Home))
        {
            var runner = new StepRunner(tree, plan);
            for (int i = 0; i < plan.Steps.Count; i++)
            {
                runner.Do(plan.Steps[i]);
                journal.RecordStep(i);
            }
        }
        Assert.Equal(0, Assert.IsType<JournalSummary>(home.Migration.Pending(TestHome.User)).StepsDone);

        MigrationResult result = home.Migration.Resume(TestHome.User, rollback);
        if (rollback)
            Assert.Equal(Oracle.Home(before), Oracle.Home(home.Snapshot()));
        else
            Assert.Equal(Oracle.Apply(Oracle.Home(before), plan), Oracle.After(home.Snapshot(), plan));
        Assert.Equal(rollback ? UserState.Legacy : UserState.Migrated, result.FinalState);
    }

    [Fact]
    public void CrashBeforeTheJournalIsResumedFromAFreshPlan()
    {
        using var home = new TestHome();
        Populate(home);
        TreeSnapshot before = home.Snapshot();
        home.SetState("alice\tmigrating");
        Assert.Null(home.Migration.Pending(TestHome.User));
        MigrationResult result = home.Migration.Resume(TestHome.User, rollback: false);
        Assert.Equal(UserState.Migrated, result.FinalState);
        Assert.Equal(Oracle.Apply(Oracle.Home(before), result.Plan), Oracle.After(home.Snapshot(), result.Plan));
    }

    [Fact]
    public void MigrateRefusesWhileAJournalIsPending()
    {
        using var home = new TestHome();
        Populate(home);
        // A migration stopped after its journal was written (what a crash at after-journal leaves).
        Journal.Create(home.Config.Migration.JournalDirectory, home.Migration.Plan(TestHome.User, MailboxSelection.None));
        home.SetState("alice\tmigrating");
        Assert.Contains("pending", Assert.Throws<MigrationException>(() => home.Migration.Migrate(TestHome.User, MailboxSelection.None)).Message, StringComparison.Ordinal);
        Assert.Equal(UserState.Migrated, home.Migration.Resume(TestHome.User, rollback: false).FinalState);
    }
}
