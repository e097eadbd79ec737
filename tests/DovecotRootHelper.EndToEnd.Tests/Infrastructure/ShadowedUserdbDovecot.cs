namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The all-services sandbox with one legacy user (an Archive at the home root) and a config file
/// included before the snippet, where a test puts a userdb that answers every lookup itself, as
/// Debian 12's stock <c>userdb { driver = passwd }</c> does when an admin leaves it in.
/// </summary>
public abstract class ShadowedUserdbDovecot : AllServicesSandbox
{
    protected ShadowedUserdbDovecot(DovecotGeneration generation)
        : base(generation, "drhall-shadowed legacy\ndrhall-shadowmark migrated\n", migratedFromUid: null, withUserdbBefore: true)
    {
        try
        {
            User = Account("drhall-shadowed", 22121, Path.Combine(DovecotDirectory, "home"));
            Mark = Account("drhall-shadowmark", 22122, Path.Combine(DovecotDirectory, "home"));
            MailTree.AddMailbox(User, User.Home, "Archive", $"archive of {User.Name}");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public TestUser User { get; }

    /// <summary>Listed migrated: Dovecot answers its IMAP root only while nothing shadows the state.</summary>
    public TestUser Mark { get; }

    /// <summary>Puts the shadowing userdb in (or takes it out), reloads Dovecot and waits until its auth answers accordingly.</summary>
    public void ShadowTheUserdb(bool shadowed)
    {
        // 2.4 merges blocks of one name: Debian 13's stock "userdb passwd" merges with the snippet's,
        // so the shadowing one there is a second passwd userdb under another name.
        string stock = Generation == DovecotGeneration.V24
            ? "userdb system {\n  driver = passwd\n}\n"
            : "userdb {\n  driver = passwd\n}\n";
        File.WriteAllText(UserdbBeforePath, shadowed ? stock : "");
        Doveadm("reload");
        // The auth process that answers after the reload is a new one, reading the chain as it is now.
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (Doveadm("user", Mark.Name).Contains("/IMAP", StringComparison.Ordinal) == shadowed)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Dovecot's userdb still answers as {(shadowed ? "unshadowed" : "shadowed")} 30 s after the reload");
            Thread.Sleep(100);
        }
    }
}

/// <summary>On Debian 12's Dovecot 2.3.</summary>
public sealed class ShadowedUserdbDovecot23() : ShadowedUserdbDovecot(DovecotGeneration.V23);

/// <summary>On Debian 13's Dovecot 2.4.</summary>
public sealed class ShadowedUserdbDovecot24() : ShadowedUserdbDovecot(DovecotGeneration.V24);
