namespace DovecotRootHelper.Migration.Tests;

/// <summary>A rollback's progress shows each move as it happens now, from the migrated root back, saying it is a move back; other steps say what is undone.</summary>
public class RollbackProgressShowsTheMoveBack
{
    private sealed class Steps : IMigrationObserver
    {
        public List<string> Seen { get; } = [];

        public void PhaseStarted(string user, string description)
        {
        }

        public void StepStarted(string user, int index, int count, string description) => Seen.Add($"{index + 1}/{count} {description}");
    }

    [Fact]
    public void MovesBackReadFromTheMigratedRootToTheLegacyOne()
    {
        using var home = new TestHome();
        home.Mbox("Trash");
        home.Subscribe("Trash");
        var forward = new Steps();
        new UserMigration(home.Config, forward) { FindAccount = home.Migration.FindAccount }.Migrate(TestHome.User, MailboxSelection.None);
        var back = new Steps();
        new UserMigration(home.Config, back) { FindAccount = home.Migration.FindAccount }.Rollback(TestHome.User);

        Assert.Contains("Trash -> IMAP/Trash", forward.Seen.Single(s => s.Contains("Trash", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("move back IMAP/Trash -> Trash", back.Seen.Single(s => s.Contains("Trash", StringComparison.Ordinal)), StringComparison.Ordinal);
        // Every step in reverse order, each shown the way it goes now.
        List<string> expected = [.. forward.Seen.Select(s => s[(s.IndexOf(' ', StringComparison.Ordinal) + 1)..]).Reverse().Select(Back)];
        Assert.Equal(expected.Select((s, i) => $"{i + 1}/{expected.Count} {s}"), back.Seen);
        Assert.DoesNotContain(back.Seen, s => s.Contains("undo", StringComparison.Ordinal) && s.Contains("Trash", StringComparison.Ordinal));
    }

    private static string Back(string forward)
    {
        if (forward.StartsWith("mkdir ", StringComparison.Ordinal))
            return "undo " + forward;
        string[] ends = forward.Split(" -> ");
        return $"move back {ends[1]} -> {ends[0]}";
    }
}
