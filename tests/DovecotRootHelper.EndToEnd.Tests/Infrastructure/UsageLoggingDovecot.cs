namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A private Dovecot of one generation with the shipped usage-logging snippet
/// (packaging/dovecot/dovecot-2.x-usage-logging.conf) and no login hook, one real Unix account
/// with a legacy home, and imaproot's [usage] section pointing at this Dovecot's log and a
/// database in the sandbox. The account goes with the sandbox.
/// </summary>
public abstract class UsageLoggingDovecot : DovecotSandbox
{
    protected UsageLoggingDovecot(DovecotGeneration generation, string account, int uid)
        : base("", generation)
    {
        try
        {
            Database = Path.Combine(Etc, "usage.sqlite");
            File.AppendAllText(ConfigPath, $"""

                [usage]
                database = {Database}
                logs = {LogPath}*

                """);
            Start(new Dictionary<string, string>(), RepositoryLayout.UsageLoggingSnippet(generation));
            User = UnixAccount(account, uid, Path.Combine(DovecotDirectory, "home", account));
            AddUser(User.Name, User.Uid, User.Home);
            MailTree.AddMailbox(User, User.Home, "Archive", "archived");
            MailTree.AddMailbox(User, User.Home, "mail/Lists", "a list");
            MailTree.AddFile(User, User.Home, "notes.txt", "not mail\n");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public TestUser User { get; }

    public string Database { get; }

    /// <summary>The published imaproot with this sandbox's config.</summary>
    public ImaprootRun Imaproot(params string[] arguments) => Infrastructure.Imaproot.Run(ConfigPath, arguments);
}

/// <summary>On Debian 12's Dovecot 2.3.</summary>
public sealed class UsageLoggingDovecot23() : UsageLoggingDovecot(DovecotGeneration.V23, "drhmig-ulog23", 22540);

/// <summary>On Debian 13's Dovecot 2.4, in the cached Debian 13 tree.</summary>
public sealed class UsageLoggingDovecot24() : UsageLoggingDovecot(DovecotGeneration.V24, "drhmig-ulog24", 22541);

/// <summary>On Debian forky's Dovecot 2.4.5, in the cached forky tree.</summary>
public sealed class UsageLoggingDovecot245() : UsageLoggingDovecot(DovecotGeneration.V245, "drhmig-ulog245", 22542);
