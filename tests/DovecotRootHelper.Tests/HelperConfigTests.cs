using System.Text;
using DovecotRootHelper.Configuration;
using DovecotRootHelper.Dovecot;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Tests;

public class HelperConfigTests
{
    private static HelperConfig Parse(string ini) => HelperConfig.Parse(Encoding.UTF8.GetBytes(ini), "/etc/drh.conf");

    private static string ParseFails(string ini) => Assert.Throws<ConfigException>(() => Parse(ini)).Message;

    [Fact]
    public void TheDocumentedExampleWithInlineCommentsParses()
    {
        HelperConfig config = Parse("""
            [dovecot]
            version = 2.4                      ; 2.3: MAIL   2.4: MAIL_DRIVER, ...
            [locations]
            legacy = mbox:~:INBOX=/var/mail/%u
            migrated = mbox:~/IMAP:INBOX=/var/mail/%u
            [state]
            file = /var/lib/drh/state
            default = migrated                 ; state of users the file does not list
            migrated-from-uid = 2000           ; new accounts start migrated
            [log]
            decisions = yes
            """);
        Assert.Equal(DovecotGeneration.V24, config.Generation);
        Assert.Equal("mbox:~/IMAP:INBOX=/var/mail/%u", config.Migrated.Text);
        Assert.Equal("/var/lib/drh/state", config.StateFile);
        Assert.Equal(UserState.Migrated, config.DefaultState);
        Assert.Equal(2000u, config.MigratedFromUid);
        Assert.True(config.LogDecisions);
    }

    [Fact]
    public void AnEmptyFileMeansTheDocumentedDefaults()
    {
        HelperConfig config = Parse("");
        Assert.Equal(DovecotGeneration.V23, config.Generation);
        // Unset: legacy users keep Dovecot's own mail location (a default template would move them).
        Assert.Null(config.Legacy);
        Assert.Equal("doveconf", config.DoveconfCommand);
        Assert.Equal("mbox:~/IMAP:INBOX=/var/mail/%u", config.Migrated.Text);
        Assert.Equal("/var/lib/dovecot-root-helper/state", config.StateFile);
        Assert.Equal(UserState.Legacy, config.DefaultState);
        Assert.Null(config.MigratedFromUid);
        Assert.False(config.LogDecisions);
    }

    [Theory]
    [InlineData("", PostLoginFinish.Auto)]
    [InlineData("[dovecot]\npost-login-finish = auto\n", PostLoginFinish.Auto)]
    [InlineData("[dovecot]\npost-login-finish = exec   ; always exec script-login\n", PostLoginFinish.Exec)]
    public void PostLoginFinishDefaultsToAuto(string ini, PostLoginFinish expected) => Assert.Equal(expected, Parse(ini).PostLoginFinish);

    [Fact]
    public void Dovecot24sDefaultTemplatesUseItsVariableSyntax()
    {
        HelperConfig config = Parse("[dovecot]\nversion = 2.4\n");
        Assert.Same(DovecotGeneration.V24, config.Generation);
        Assert.Equal("mbox:~/IMAP:INBOX=/var/mail/%{user}", config.Migrated.Text);
    }

    [Theory]
    [InlineData("2.5")]
    [InlineData("3.0")]
    [InlineData("2.5.0")]
    [InlineData("2.30.1")]
    [InlineData("2.4.")]
    [InlineData("2.4.x")]
    [InlineData("2.4.1-4")]
    [InlineData("2.4.5 (0cbb641e3e)")]
    [InlineData("2")]
    public void AnUnknownDovecotVersionIsRefusedInOneLine(string version)
    {
        string message = ParseFails($"[dovecot]\nversion = {version}\n");
        Assert.Equal($"/etc/drh.conf:2: [dovecot] version = {version}: expected 2.3 or 2.4 or a release of one (such as 2.4.5)", message);
    }

    // What `dovecot --version` prints, without Debian's suffix and the commit, names the generation.
    [Theory]
    [InlineData("2.3.19", "2.3")]
    [InlineData("2.3.21.1", "2.3")]
    [InlineData("2.4.1", "2.4")]
    [InlineData("2.4.5", "2.4")]
    public void ADovecotReleaseNamesItsGeneration(string version, string generation) =>
        Assert.Equal(generation, Parse($"[dovecot]\nversion = {version}\n").Generation.Name);

    [Fact]
    public void ABadTemplateIsNamedWithFileAndKey() =>
        Assert.Equal("/etc/drh.conf:2: [locations] migrated = mbox:~/IMAP:FOO=1: unsupported parameter 'FOO'", ParseFails("[locations]\nmigrated = mbox:~/IMAP:FOO=1\n"));

    [Fact]
    public void AnEmptyMigratedFromUidMeansNoUidRule() => Assert.Null(Parse("[state]\nmigrated-from-uid =\n").MigratedFromUid);

    [Theory]
    [InlineData("[dovecot]\nversion = 2.5\n", "[dovecot] version = 2.5: expected 2.3 or 2.4 or a release of one")]
    [InlineData("[dovecot]\npost-login-finish = fast\n", "[dovecot] post-login-finish = fast: expected auto or exec")]
    [InlineData("[state]\ndefault = migrating\n", "[state] default = migrating: expected legacy or migrated")]
    [InlineData("[state]\nmigrated-from-uid = -5\n", "[state] migrated-from-uid = -5: expected a uid")]
    [InlineData("[state]\nmigrated-from-uid = many\n", "[state] migrated-from-uid = many")]
    [InlineData("[state]\nmigrated_from_uid = 5\n", "unknown setting [state] migrated_from_uid")]
    [InlineData("[locations]\nlegacy = maildir\n", "[locations] legacy = maildir: expected DRIVER:PATH")]
    [InlineData("[log]\ndecisions = perhaps\n", "[log] decisions = perhaps: expected yes or no")]
    [InlineData("bogus = 1\n", "setting bogus is outside any [section]")]
    public void EveryBadSettingIsOneLineNamingFileSectionAndKey(string ini, string expected)
    {
        string message = ParseFails(ini);
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.Matches("^/etc/drh.conf:[12]: ", message);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void LoadRefusesAConfigOthersCanWrite()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("conf", "", (UnixFileMode)0x1B6);
        Assert.Contains("lets others than its owner write it", Assert.Throws<ConfigException>(() => HelperConfig.Load(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadNamesAMissingFile()
    {
        ConfigException e = Assert.Throws<ConfigException>(() => HelperConfig.Load("/nonexistent/drh.conf"));
        Assert.StartsWith("/nonexistent/drh.conf: cannot open", e.Message, StringComparison.Ordinal);
    }
}
