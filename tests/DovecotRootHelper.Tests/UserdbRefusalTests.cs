using System.Text;
using DovecotRootHelper.Configuration;
using DovecotRootHelper.Dovecot;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Tests;

/// <summary>
/// The refusal passdb's files beside the all-services userdb: the list of users being migrated in each
/// generation's format and the passdb settings that carry the reason, written with every publish.
/// (Dovecot's answers with them are tested end to end in MigratingUserReadsWhy.)
/// </summary>
public sealed class UserdbRefusalTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string StatePath => Path.Combine(_dir.Path, "state");

    private string UserdbPath => Path.Combine(_dir.Path, "userdb");

    private HelperConfig Config(string version) =>
        HelperConfig.Parse(Encoding.UTF8.GetBytes($"""
            [dovecot]
            version = {version}
            [locations]
            legacy = mbox:~:INBOX=/var/mail/%u
            migrated = mbox:~/IMAP:INBOX=/var/mail/%u
            [state]
            file = {StatePath}
            userdb = {UserdbPath}
            """), "/etc/drh.conf");

    private static UserdbOverlay Overlay(HelperConfig config) => UserdbOverlay.For(config) ?? throw new InvalidOperationException("no overlay");

    private static StateFileContents Contents(string text) => StateFileSyntax.ParseAll(Encoding.UTF8.GetBytes(text), "/var/lib/drh/state");

    private const string States = "alice legacy\ncarol migrating\nbob migrated\ndan migrating note\n";

    [Fact]
    public void On23TheMigratingUsersAreADictFileForTheDictPassdb() =>
        Assert.Equal(
            "shared/dovecot-root-helper/migrating/carol\nyes\nshared/dovecot-root-helper/migrating/dan\nyes\n",
            Encoding.UTF8.GetString(Overlay(Config("2.3")).BuildMigrating(Contents(States))));

    [Fact]
    public void On24TheMigratingUsersAreAPasswdFile()
    {
        string[] lines = Encoding.UTF8.GetString(Overlay(Config("2.4")).BuildMigrating(Contents(States)))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).ToArray();
        Assert.Equal(["carol:::::::", "dan:::::::"], lines);
    }

    [Fact]
    public void On23TheDictPassdbNamesTheListAndGivesEachProtocolsTemporaryFailureWithTheReason()
    {
        string refusal = Overlay(Config("2.3")).BuildRefusal();
        Assert.Contains($"uri = file:{UserdbPath}-migrating\n", refusal, StringComparison.Ordinal);
        Assert.Contains("  key = dovecot-root-helper/migrating/%u\n", refusal, StringComparison.Ordinal);
        // The key must be used by a field, or the dict passdb finds every user.
        Assert.Contains("  nodelay = %{dict:migrating}\n", refusal, StringComparison.Ordinal);
        Assert.Contains($"  reason = %{{if;%s;eq;pop3;[SYS/TEMP];[UNAVAILABLE]}} {UserdbOverlay.RefusalReason}\n", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void On24ThePassdbIncludeNamesTheListAndGivesEachProtocolsTemporaryFailureWithTheReason()
    {
        string refusal = Overlay(Config("2.4")).BuildRefusal();
        Assert.Contains($"passwd_file_path = {UserdbPath}-migrating\n", refusal, StringComparison.Ordinal);
        Assert.Contains("  nodelay = yes\n", refusal, StringComparison.Ordinal);
        Assert.Contains($"  reason = %{{protocol | if('eq', 'pop3', '[SYS/TEMP]', '[UNAVAILABLE]')}} {UserdbOverlay.RefusalReason}\n", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void TheReasonReadsAsASentence() =>
        Assert.Contains(' ', UserdbOverlay.RefusalReason);

    [Theory]
    [InlineData("2.3")]
    [InlineData("2.4")]
    public void EveryPublishWritesBothFilesAndAHandEditIsADisagreement(string version)
    {
        HelperConfig config = Config(version);
        File.WriteAllText(StatePath, "alice legacy\n");
        using (StateFileWriter writer = StateFileWriter.Lock(StatePath, UserdbOverlay.For(config)))
            writer.SetState("carol", UserState.Migrating, "");
        UserdbOverlay overlay = Overlay(config);
        Assert.Contains("carol", File.ReadAllText(overlay.MigratingPath), StringComparison.Ordinal);
        Assert.Equal(overlay.BuildRefusal(), File.ReadAllText(overlay.RefusalPath));
        Assert.Empty(overlay.Disagreements(StateFileReader.ReadAll(StatePath)));

        File.WriteAllText(overlay.MigratingPath, "");
        string stale = Assert.Single(overlay.Disagreements(StateFileReader.ReadAll(StatePath)));
        Assert.StartsWith(overlay.MigratingPath + " does not match", stale, StringComparison.Ordinal);
        File.Delete(overlay.RefusalPath);
        Assert.Contains(overlay.Disagreements(StateFileReader.ReadAll(StatePath)), d => d.StartsWith(overlay.RefusalPath, StringComparison.Ordinal) && d.Contains("doveadm reload", StringComparison.Ordinal));
    }

    [Fact]
    public void On24EveryVersionOfTheListGetsAnMtimeOfItsOwn()
    {
        // Dovecot's passwd-file passdb, like the userdb, re-reads on a changed mtime (whole seconds) or size.
        HelperConfig config = Config("2.4");
        UserdbOverlay overlay = Overlay(config);
        File.WriteAllText(StatePath, "carol legacy\n");
        using StateFileWriter writer = StateFileWriter.Lock(StatePath, UserdbOverlay.For(config));
        writer.Publish("carol migrating\n"u8);
        FileStatus first = Sys.LinkStatusOrNull(overlay.MigratingPath)!.Value;
        writer.Publish("cliff migrating\n"u8);
        FileStatus second = Sys.LinkStatusOrNull(overlay.MigratingPath)!.Value;
        Assert.Equal(first.Size, second.Size);
        Assert.True(first.MtimeSeconds < second.MtimeSeconds, $"mtimes {first.MtimeSeconds}, {second.MtimeSeconds}");
    }
}
