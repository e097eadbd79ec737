using System.Diagnostics;
using DovecotRootHelper.Migration.Tests.Infrastructure;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Migration.Tests;

/// <summary>
/// The real thing: a separate process migrates and is SIGKILLed by DOVECOT_ROOT_HELPER_CRASH_AT at
/// every journal step and named phase in turn; resume, or resume --rollback, ends in the expected tree.
/// </summary>
public class ProcessCrashTests
{
    private static void Populate(TestHome home)
    {
        home.Mbox("Archive");
        home.Index("Archive");
        home.Mbox("mail/Sent");
        home.Index("mail/Sent");
        home.File("mail/notes.txt", "not mail");
        home.Mbox("whole/a");
        home.Mbox("whole/b");
        home.Subscribe("Archive", "mail/Sent", "whole/a", "whole/b");
    }

    public static TheoryData<string, bool> Points()
    {
        int steps;
        using (var home = new TestHome())
        {
            Populate(home);
            steps = home.Migration.Plan(TestHome.User, MailboxSelection.None).Steps.Count;
        }
        var data = new TheoryData<string, bool>();
        IEnumerable<string> points = ["after-migrating", "after-journal", .. Enumerable.Range(0, steps).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), "after-verify", "after-migrated"];
        foreach (string point in points)
        {
            data.Add(point, false);
            data.Add(point, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Points))]
    public void KilledMigrationIsResumedOrRolledBack(string point, bool rollback)
    {
        using var home = new TestHome();
        Populate(home);
        TreeSnapshot before = home.Snapshot();
        MigrationPlan plan = home.Migration.Plan(TestHome.User, MailboxSelection.None);

        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "MigrationCrashRunner"))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (string arg in new[] { home.ConfigPath, TestHome.User, home.Home, TestHome.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(arg);
        start.Environment["DOVECOT_ROOT_HELPER_CRASH_AT"] = point;
        using (Process runner = Process.Start(start)!)
        {
            string errors = runner.StandardError.ReadToEnd();
            runner.WaitForExit();
            Assert.True(runner.ExitCode == 128 + 9, $"expected SIGKILL at {point}, got exit {runner.ExitCode}: {errors}");
        }
        Assert.Equal(point == "after-migrated" ? "migrated" : "migrating", home.State());

        MigrationResult result = home.Migration.Resume(TestHome.User, rollback);
        if (rollback)
        {
            Assert.Equal(UserState.Legacy, result.FinalState);
            Assert.Equal(Oracle.Home(before), Oracle.Home(home.Snapshot()));
        }
        else
        {
            Assert.Equal(UserState.Migrated, result.FinalState);
            Assert.Equal("migrated", home.State());
            Assert.Equal(Oracle.Apply(Oracle.Home(before), plan), Oracle.After(home.Snapshot(), plan));
            home.Migration.Rollback(TestHome.User);
            Assert.Equal(Oracle.Home(before), Oracle.Home(home.Snapshot()));
        }
        Assert.Null(home.Migration.Pending(TestHome.User));
    }
}
