using System.Text;
using DovecotRootHelper.Configuration;
using DovecotRootHelper.Dovecot;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Tests;

/// <summary>
/// The all-services userdb imaproot derives from the state file: its lines, the include for unlisted
/// users on each generation, and that it is written with every publish under the state file's lock.
/// (Dovecot's reading of both files is tested end to end in AllServicesFollowTheState.)
/// </summary>
public sealed class UserdbOverlayTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string StatePath => Path.Combine(_dir.Path, "state");

    private string UserdbPath => Path.Combine(_dir.Path, "userdb");

    private HelperConfig Config(string version = "2.3", string extra = "", string? legacy = "mbox:~:INBOX=/var/mail/%u") =>
        HelperConfig.Parse(Encoding.UTF8.GetBytes($"""
            [dovecot]
            version = {version}
            [locations]
            {(legacy is null ? "" : "legacy = " + legacy)}
            migrated = mbox:~/IMAP:INBOX=/var/mail/%u
            [state]
            file = {StatePath}
            userdb = {UserdbPath}
            {extra}
            """), "/etc/drh.conf");

    private static UserdbOverlay Overlay(HelperConfig config) => UserdbOverlay.For(config) ?? throw new InvalidOperationException("no overlay");

    private static StateFileContents Contents(string text) => StateFileSyntax.ParseAll(Encoding.UTF8.GetBytes(text), "/var/lib/drh/state");

    private static string[] Lines(byte[] userdb) =>
        Encoding.UTF8.GetString(userdb).Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).ToArray();

    [Fact]
    public void NoUserdbKeyMeansNoOverlay() =>
        Assert.Null(UserdbOverlay.For(HelperConfig.Parse("[state]\nfile = /x/state\n"u8.ToArray(), "/etc/drh.conf")));

    [Fact]
    public void Dovecot23LinesCarryTheMailLocationOrATemporaryFailure()
    {
        string[] lines = Lines(Overlay(Config()).BuildUserdb(Contents("# comment\nalice legacy\nbob migrated note\ncarol migrating\n")));
        Assert.Equal(
            [
                "alice:::::::userdb_mail=mbox:~:INBOX=/var/mail/%u",
                "bob:::::::userdb_mail=mbox:~/IMAP:INBOX=/var/mail/%u",
                $"carol:::::::userdb_tempfail=yes userdb_reason={UserdbOverlay.MigratingReason}",
            ],
            lines);
    }

    [Fact]
    public void Dovecot24LinesCarryEveryLocationSettingInItsOwnSyntax()
    {
        string bob = Lines(Overlay(Config("2.4")).BuildUserdb(Contents("bob migrated\n"))).Single();
        Assert.StartsWith("bob:::::::userdb_mail_driver=mbox userdb_mail_path=~/IMAP userdb_mail_inbox_path=/var/mail/%{user} ", bob, StringComparison.Ordinal);
        // Settings the template leaves out are handed over too, so a global one cannot leak in.
        Assert.Contains(" userdb_mail_index_path=", bob, StringComparison.Ordinal);
        Assert.Contains(" userdb_mailbox_list_layout=fs", bob, StringComparison.Ordinal);
        Assert.DoesNotContain("%u", bob, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("%n", "2.3", "%n")]
    [InlineData("%{username}", "2.3", "%n")]
    [InlineData("%d", "2.4", "%{user|domain}")]
    [InlineData("%h", "2.4", "%{home}")]
    [InlineData("%%", "2.4", "%%")]
    public void TemplateVariablesAreWrittenInTheGenerationsSyntax(string variable, string version, string written)
    {
        string line = Lines(Overlay(Config(version, legacy: $"mbox:~:INBOX=/var/mail/{variable}")).BuildUserdb(Contents("alice legacy\n"))).Single();
        Assert.Contains($"/var/mail/{written}", line, StringComparison.Ordinal);
    }

    [Fact]
    public void UnlistedUsersOn23GetTheDefaultWithoutAUidRule() =>
        Assert.Contains("override_fields = mail=mbox:~:INBOX=/var/mail/%u\n", Overlay(Config()).BuildUnlisted(), StringComparison.Ordinal);

    [Fact]
    public void UnlistedUsersOn23ChooseByUidThroughHelperFields()
    {
        string unlisted = Overlay(Config(extra: "migrated-from-uid = 2000")).BuildUnlisted();
        // 2.3's %{if} cuts its branches at ':', so the locations travel in fields of their own.
        Assert.Contains(
            "override_fields = dovecot_root_helper_legacy=mbox:~:INBOX=/var/mail/%u dovecot_root_helper_migrated=mbox:~/IMAP:INBOX=/var/mail/%u "
            + "mail=%{if;%{userdb:uid};>=;2000;%{userdb:dovecot_root_helper_migrated};%{userdb:dovecot_root_helper_legacy}}\n",
            unlisted,
            StringComparison.Ordinal);
    }

    [Fact]
    public void UnlistedUsersOn23AreAllMigratedWhenThatIsTheDefault() =>
        Assert.Contains("override_fields = mail=mbox:~/IMAP:INBOX=/var/mail/%u\n", Overlay(Config(extra: "default = migrated\nmigrated-from-uid = 2000")).BuildUnlisted(), StringComparison.Ordinal);

    [Fact]
    public void UnlistedUsersOn24ChooseOnlyTheSettingsThatDifferByUid()
    {
        string unlisted = Overlay(Config("2.4", extra: "migrated-from-uid = 2000")).BuildUnlisted();
        Assert.Contains("  mail_path = %{userdb:uid | if('>=', 2000, '~/IMAP', '~')}\n", unlisted, StringComparison.Ordinal);
        Assert.Contains("  mail_inbox_path = /var/mail/%{user}\n", unlisted, StringComparison.Ordinal);
        Assert.StartsWith("fields {", unlisted.Split('\n').First(l => !l.StartsWith('#')), StringComparison.Ordinal);
    }

    [Fact]
    public void On24ASettingThatDiffersByUidAndHoldsVariablesIsRefused()
    {
        HelperConfig config = Config("2.4", extra: "migrated-from-uid = 2000", legacy: "mbox:~:INBOX=/var/spool/mail/%u");
        string message = Assert.Throws<ConfigException>(() => Overlay(config).BuildUnlisted()).Message;
        Assert.Contains("mail_inbox_path", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATemplateWithABlankIsRefusedBeforeAnythingIsWritten()
    {
        HelperConfig config = Config(legacy: "mbox:~/My Mail:INBOX=/var/mail/%u");
        File.WriteAllText(StatePath, "alice migrated\n");
        using StateFileWriter writer = StateFileWriter.Lock(StatePath, UserdbOverlay.For(config));
        string message = Assert.Throws<ConfigException>(() => writer.SetState("alice", UserState.Legacy, "")).Message;
        Assert.Contains("blank", message, StringComparison.Ordinal);
        Assert.Equal("alice migrated\n", File.ReadAllText(StatePath));
        Assert.False(File.Exists(UserdbPath));
    }

    [Fact]
    public void EveryPublishRewritesBothFilesAndCheckThenFindsThemCurrent()
    {
        HelperConfig config = Config(extra: "migrated-from-uid = 2000");
        File.WriteAllText(StatePath, "alice legacy\n");
        using (StateFileWriter writer = StateFileWriter.Lock(StatePath, UserdbOverlay.For(config)))
            writer.SetState("bob", UserState.Migrated, "");
        Assert.Equal(["alice:::::::userdb_mail=mbox:~:INBOX=/var/mail/%u", "bob:::::::userdb_mail=mbox:~/IMAP:INBOX=/var/mail/%u"], Lines(File.ReadAllBytes(UserdbPath)));
        Assert.Contains("%{if;", File.ReadAllText(UserdbOverlay.UnlistedPathFor(UserdbPath)), StringComparison.Ordinal);
        Assert.Empty(Overlay(config).Disagreements(StateFileReader.ReadAll(StatePath)));
    }

    [Fact]
    public void AHandEditedStateFileOrAChangedConfigIsADisagreement()
    {
        HelperConfig config = Config();
        File.WriteAllText(StatePath, "alice legacy\n");
        using (StateFileWriter writer = StateFileWriter.Lock(StatePath, UserdbOverlay.For(config)))
            writer.Reindex();
        File.WriteAllText(StatePath, "alice migrated\n");
        string stale = Assert.Single(Overlay(config).Disagreements(StateFileReader.ReadAll(StatePath)));
        Assert.Contains("imaproot reindex", stale, StringComparison.Ordinal);

        HelperConfig changed = Config(extra: "default = migrated");
        Assert.Contains(Overlay(changed).Disagreements(StateFileReader.ReadAll(StatePath)), d => d.Contains("doveadm reload", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryVersionGetsAnMtimeOfItsOwnSoDovecotNeverTakesItForOneItRead()
    {
        // Dovecot re-reads a passwd-file only when its mtime (whole seconds) or size differs from the
        // version it last read, which may be several back: here the third version has the first's size.
        HelperConfig config = Config();
        File.WriteAllText(StatePath, "alice legacy\nbob legacy\n");
        using StateFileWriter writer = StateFileWriter.Lock(StatePath, UserdbOverlay.For(config));
        writer.Publish("alice migrated\nbob legacy\n"u8);
        FileStatus first = Sys.LinkStatusOrNull(UserdbPath)!.Value;
        writer.Publish("alice migrated\nbob migrating\n"u8);
        FileStatus second = Sys.LinkStatusOrNull(UserdbPath)!.Value;
        writer.Publish("alice legacy\nbob migrated\n"u8);
        FileStatus third = Sys.LinkStatusOrNull(UserdbPath)!.Value;
        Assert.NotEqual(first.Size, second.Size);
        Assert.Equal(first.Size, third.Size);
        Assert.True(first.MtimeSeconds < second.MtimeSeconds && second.MtimeSeconds < third.MtimeSeconds, $"mtimes {first.MtimeSeconds}, {second.MtimeSeconds}, {third.MtimeSeconds}");
        Assert.Equal("bob:::::::userdb_mail=mbox:~/IMAP:INBOX=/var/mail/%u", Lines(File.ReadAllBytes(UserdbPath))[1]);
    }

    [Fact]
    public void WaitingForDovecotEndsInTheNextWholeSecondAfterTheWrite()
    {
        // Dovecot looks at the file at most once a second: from the next whole second on it sees the new version.
        UserdbOverlay overlay = Overlay(Config());
        File.WriteAllText(StatePath, "alice legacy\n");
        long before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using (StateFileWriter writer = StateFileWriter.Lock(StatePath, overlay))
            writer.Reindex();
        overlay.WaitUntilDovecotSees();
        Assert.True(DateTimeOffset.UtcNow.ToUnixTimeSeconds() > before);
    }

    [Theory]
    [InlineData("2.3")]
    [InlineData("2.4")]
    public void LegacyUnsetGivesListedAndUnlistedLegacyUsersNoLocation(string version)
    {
        UserdbOverlay overlay = Overlay(Config(version, legacy: null));
        string[] lines = Lines(overlay.BuildUserdb(Contents("alice legacy\nbob migrated\n")));
        Assert.Equal("alice:::::::", lines[0]);
        Assert.StartsWith(version == "2.3" ? "bob:::::::userdb_mail=mbox:~/IMAP" : "bob:::::::userdb_mail_driver=mbox userdb_mail_path=~/IMAP", lines[1], StringComparison.Ordinal);
        Assert.Empty(Lines(Encoding.UTF8.GetBytes(overlay.BuildUnlisted())));
    }

    [Fact]
    public void LegacyUnsetWithDefaultMigratedRemovesTheIncludesMailForListedLegacyUsersOnDovecot23()
    {
        UserdbOverlay overlay = Overlay(Config(legacy: null, extra: "default = migrated"));
        Assert.Equal("override_fields = mail=mbox:~/IMAP:INBOX=/var/mail/%u", Lines(Encoding.UTF8.GetBytes(overlay.BuildUnlisted())).Single());
        Assert.Equal("alice:::::::userdb_mail:remove", Lines(overlay.BuildUserdb(Contents("alice legacy\n"))).Single());
    }

    [Fact]
    public void LegacyUnsetWithDefaultMigratedRemovesEveryIncludedSettingForListedLegacyUsersOnDovecot24()
    {
        UserdbOverlay overlay = Overlay(Config("2.4", legacy: null, extra: "default = migrated"));
        string[] included = Lines(Encoding.UTF8.GetBytes(overlay.BuildUnlisted())).Where(l => l.StartsWith("  ", StringComparison.Ordinal)).Select(l => l.Trim().Split(' ')[0]).ToArray();
        Assert.Contains("mail_path", included);
        string line = Lines(overlay.BuildUserdb(Contents("alice legacy\n"))).Single();
        Assert.Equal("alice:::::::" + string.Join(' ', included.Select(k => $"userdb_{k}:remove")), line);
    }

    [Theory]
    [InlineData("2.3")]
    [InlineData("2.4")]
    public void LegacyUnsetWithTheUidRuleAndTheUserdbIsRefusedWithWhatToSet(string version)
    {
        ConfigException e = Assert.Throws<ConfigException>(() => Config(version, legacy: null, extra: "migrated-from-uid = 2000"));
        Assert.Contains("needs [locations] legacy", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }
}
