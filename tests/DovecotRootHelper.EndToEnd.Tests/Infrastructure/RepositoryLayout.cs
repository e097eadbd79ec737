namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Where the programs and snippets under test are: the build tree's (<c>./build.sh publish</c>, packaging/),
/// or, with DRH_TEST_INSTALLED=1 (<c>./build.sh test</c> sets it after installing the .deb), the
/// installed package's, so that the whole suite runs once against what an administrator installs.
/// </summary>
public static class RepositoryLayout
{
    public static string Root => DovecotRootHelper.Testing.RepositoryRoot.Path;

    /// <summary>True when the tests run against the installed Debian package.</summary>
    public static bool Installed => Environment.GetEnvironmentVariable("DRH_TEST_INSTALLED") == "1";

    /// <summary>/usr/lib/dovecot-root-helper/, or the directory <c>./build.sh publish</c> fills in its place.</summary>
    public static string HookDirectory => Installed ? "/usr/lib/dovecot-root-helper" : Path.Combine(Root, "artifacts", "hook");

    public static string Hook => Path.Combine(HookDirectory, "dovecot-root-helper");

    /// <summary>The admin CLI: /usr/sbin/imaproot, or the published one in its place.</summary>
    public static string Imaproot => Installed ? "/usr/sbin/imaproot" : Path.Combine(Root, "artifacts", "imaproot", "imaproot");

    /// <summary>A shipped Dovecot snippet: /usr/share/dovecot-root-helper/NAME, or packaging/dovecot/NAME.</summary>
    public static string Snippet(string name) => Path.Combine(Installed ? "/usr/share/dovecot-root-helper" : Path.Combine(Root, "packaging", "dovecot"), name);

    public static string PrivateDovecotScript => Path.Combine(Root, "tests", "dovecot", "private-dovecot.sh");

    /// <summary>The test password checker; it stands in for /usr/lib/dovecot-root-helper/checkpassword-checker.</summary>
    public static string CheckpasswordChecker => Path.Combine(Root, "tests", "dovecot", "checkpassword-test.sh");

    public static string CheckpasswordUserdbSnippet => Snippet("dovecot-2.3-checkpassword-userdb.conf");

    public static string CheckpasswordPassdbSnippet => Snippet("dovecot-2.3-checkpassword-passdb.conf");

    /// <summary>The shipped post-login script snippet for <paramref name="generation"/>: 2.4 writes <c>$SET:default_internal_user</c>.</summary>
    public static string PostLoginSnippet(DovecotGeneration generation) => Snippet($"dovecot-{generation.SnippetName()}-postlogin.conf");

    /// <summary>The shipped usage-logging snippet (stats exporter and mail_log) for <paramref name="generation"/>.</summary>
    public static string UsageLoggingSnippet(DovecotGeneration generation) =>
        Snippet($"dovecot-{generation.SnippetName()}-usage-logging.conf");

    public static string PostLoginServiceSnippet => Snippet("dovecot-2.3-postlogin-service.conf");

    /// <summary>The tests exercise the shipped native binary, never a build of their own: without it they fail.</summary>
    public static string RequirePublishedHook()
    {
        foreach (string program in new[] { Hook, Hook + "-pop3" })
        {
            if (!File.Exists(program))
                throw new InvalidOperationException(Installed
                    ? $"{program} is missing: DRH_TEST_INSTALLED=1 needs the package installed (./build.sh test installs it)."
                    : $"{program} is missing: run `./build.sh publish` in {Root} before these tests.");
        }
        return Hook;
    }
}
