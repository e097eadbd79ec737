namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One of <see cref="TwoServers"/>: a private Dovecot with the post-login hook on ports and a base
/// directory of its own. The first one owns the hook's config and state file and the spool; the
/// second reads that same config and state file and reaches the first one's spool through a symlink,
/// as a second server reaches shared storage through its own mount. The second one's own config and
/// state file (every sandbox has them) are never read.
/// </summary>
public sealed class SharedStorageServer : DovecotSandbox
{
    /// <param name="doveadmPassword">When given, doveadm listens on <see cref="DovecotSandbox.DoveadmPort"/> with this doveadm_password.</param>
    public SharedStorageServer(DovecotGeneration generation, string initialState, SharedStorageServer? sharing, string? doveadmPassword = null)
        : base(initialState, generation)
    {
        try
        {
            string config = ConfigPath;
            if (sharing is not null)
            {
                config = sharing.ConfigPath;
                Directory.CreateDirectory(DovecotDirectory);
                Directory.CreateSymbolicLink(Spool, sharing.Spool);
            }
            string postLogin = InstallSnippet(RepositoryLayout.PostLoginSnippet(generation), new Dictionary<string, string>
            {
                ["/usr/lib/dovecot-root-helper/"] = RepositoryLayout.HookDirectory + "/",
            });
            var environment = new Dictionary<string, string> { ["HELPER_CONFIG"] = config };
            if (doveadmPassword is not null)
                environment["DOVEADM_PASSWORD"] = doveadmPassword;
            Start(environment, postLogin);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Spool => Path.Combine(DovecotDirectory, "spool");

    /// <summary>Its doveadm listener as <c>[migration] doveadm-servers</c> names it.</summary>
    public string DoveadmServer => $"127.0.0.1:{DoveadmPort}";

    /// <summary>Gives an account a passwd-file line here (the home and spool are shared: created once, by the first server).</summary>
    public void Add(TestUser user) => AddUser(user.Name, user.Uid, user.Home);

    /// <summary>Rewrites the hook's config with a <c>[migration]</c> section that reaches <paramref name="servers"/> over the doveadm protocol.</summary>
    public void WriteDoveadmMigrationSection(IEnumerable<string> servers, string passwordFile, int kickTimeoutSeconds)
    {
        WriteHelperConfig();
        File.AppendAllText(ConfigPath, $"""

            [migration]
            journal-dir = {Path.Combine(Etc, "journal")}
            doveadm-servers = {string.Join(' ', servers)}
            doveadm-password-file = {passwordFile}
            kick-timeout = {kickTimeoutSeconds}

            """);
    }

    /// <summary>Rewrites the hook's config with a <c>[migration]</c> section of these commands (imaproot reads it at every run).</summary>
    public void WriteMigrationSection(string kick, string who, int kickTimeoutSeconds)
    {
        WriteHelperConfig();
        File.AppendAllText(ConfigPath, $"""

            [migration]
            journal-dir = {Path.Combine(Etc, "journal")}
            kick = {kick}
            who = {who}
            flush =
            kick-timeout = {kickTimeoutSeconds}

            """);
    }
}
