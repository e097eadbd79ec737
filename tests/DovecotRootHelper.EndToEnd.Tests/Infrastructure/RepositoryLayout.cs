namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>Where the repository and the published hook are, found from the test assembly's location.</summary>
public static class RepositoryLayout
{
    public static string Root => DovecotRootHelper.Testing.RepositoryRoot.Path;

    /// <summary>The directory <c>./build.sh publish</c> fills; it stands in for /usr/lib/dovecot-root-helper/.</summary>
    public static string HookDirectory => Path.Combine(Root, "artifacts", "hook");

    public static string Hook => Path.Combine(HookDirectory, "dovecot-root-helper");

    /// <summary>The published admin CLI; it stands in for /usr/sbin/imaproot.</summary>
    public static string Imaproot => Path.Combine(Root, "artifacts", "imaproot", "imaproot");

    public static string PrivateDovecotScript => Path.Combine(Root, "tests", "dovecot", "private-dovecot.sh");

    /// <summary>The test password checker; it stands in for /usr/lib/dovecot-root-helper/checkpassword-checker.</summary>
    public static string CheckpasswordChecker => Path.Combine(Root, "tests", "dovecot", "checkpassword-test.sh");

    public static string CheckpasswordUserdbSnippet => Path.Combine(Root, "packaging", "dovecot", "dovecot-2.3-checkpassword-userdb.conf");

    public static string CheckpasswordPassdbSnippet => Path.Combine(Root, "packaging", "dovecot", "dovecot-2.3-checkpassword-passdb.conf");

    /// <summary>The shipped post-login script snippet for <paramref name="generation"/>: 2.4 writes <c>$SET:default_internal_user</c>.</summary>
    public static string PostLoginSnippet(DovecotGeneration generation) => Path.Combine(Root, "packaging", "dovecot", generation switch
    {
        DovecotGeneration.V24 => "dovecot-2.4-postlogin.conf",
        _ => "dovecot-2.3-postlogin.conf",
    });

    /// <summary>The shipped usage-logging snippet (stats exporter and mail_log) for <paramref name="generation"/>.</summary>
    public static string UsageLoggingSnippet(DovecotGeneration generation) =>
        Path.Combine(Root, "packaging", "dovecot", generation == DovecotGeneration.V24 ? "dovecot-2.4-usage-logging.conf" : "dovecot-2.3-usage-logging.conf");

    public static string PostLoginServiceSnippet => Path.Combine(Root, "packaging", "dovecot", "dovecot-2.3-postlogin-service.conf");

    /// <summary>The tests exercise the shipped native binary, never a build of their own: without it they fail.</summary>
    public static string RequirePublishedHook()
    {
        foreach (string program in new[] { Hook, Hook + "-pop3" })
        {
            if (!File.Exists(program))
                throw new InvalidOperationException($"{program} is missing: run `./build.sh publish` in {Root} before these tests.");
        }
        return Hook;
    }
}
