namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A private Dovecot 2.3 with the hook as its checkpassword userdb (the shipped snippet) and LMTP,
/// whose account database does not answer for <see cref="Unreachable"/>: every Dovecot process,
/// the auth process's checkpassword children included, runs with the <see cref="AccountOutage"/>
/// library preloaded (import_environment), which fails getpwnam_r with EIO for that name only, as
/// an unreachable LDAP server or a stopped sssd does. The account itself exists.
/// </summary>
public sealed class CheckpasswordOutageDovecot : DovecotSandbox
{
    /// <summary>A real Unix account the account database cannot answer for.</summary>
    public const string Unreachable = "drhcp-outage";

    /// <summary>A name with no Unix account, answered as such.</summary>
    public const string Unknown = "drhcp-outage-none";

    private const string InstalledHook = "/usr/lib/dovecot-root-helper/dovecot-root-helper";

    public CheckpasswordOutageDovecot()
        : base($"{Unreachable} migrated\n")
    {
        try
        {
            UnixTestAccount.RequireMissing(Unknown);
            TestUser user = UnixTestAccount.Ensure(Unreachable, 21014, Path.Combine(DovecotDirectory, "home", Unreachable));
            string hook = InstallSnippet(RepositoryLayout.CheckpasswordUserdbSnippet, new Dictionary<string, string> { [InstalledHook] = RepositoryLayout.Hook });
            string settings = Path.Combine(Root, "outage-settings.conf");
            File.WriteAllText(settings, $"""
                protocols = imap pop3 lmtp
                postmaster_address = postmaster@example.org
                import_environment = TZ DOVECOT_ROOT_HELPER_CONFIG={ConfigPath} LD_PRELOAD={AccountOutage.Library} {AccountOutage.NamesVariable}={Unreachable}

                """);
            Start(new Dictionary<string, string> { ["PASSWD_FILE"] = "passdb" }, hook, settings);
            AddUser(user.Name, user.Uid, user.Home);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string LmtpSocket => Path.Combine(DovecotDirectory, "run", "lmtp");

    protected override void Disposed() => UnixTestAccount.Remove(Unreachable);
}
