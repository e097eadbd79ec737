using DovecotRootHelper.EndToEnd.Tests.Infrastructure;
using MailKit;
using MailKit.Net.Imap;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>
/// The all-services setup with <c>[locations] legacy</c> unset: a legacy user, listed or (with
/// <c>default = legacy</c>) unlisted, gets Dovecot's own location (<c>~/mail</c>) from IMAP, doveadm
/// and an LMTP delivery whose Sieve script files into Lists; with <c>default = migrated</c> the listed
/// legacy user's line removes the fields the include handed over (<c>:remove</c>). A migrated user,
/// listed or by default, gets ~/IMAP. Nobody gets the home.
/// </summary>
public abstract class LegacyUserKeepsDovecotsOwnLocationEverywhere<TDovecot>(TDovecot dovecot) : IClassFixture<TDovecot>
    where TDovecot : AllServicesOwnLocationDovecot
{
    [Fact]
    public void ListedLegacyUserGetsDovecotsOwnRootEverywhere() => AssertRootEverywhere(dovecot.Legacy, "mail");

    [Fact]
    public void ListedMigratedUserGetsTheImapSubdirectoryEverywhere() => AssertRootEverywhere(dovecot.Migrated, "IMAP");

    [Fact]
    public void UnlistedUserGetsTheDefaultStatesRootEverywhere() => AssertRootEverywhere(dovecot.Unlisted, dovecot.DefaultMigrated ? "IMAP" : "mail");

    private void AssertRootEverywhere(TestUser user, string root)
    {
        Assert.Equal($"archive in {AllServicesOwnLocationDovecot.Roots[root]}", MailClients.FirstSubject(dovecot, user, "Archive"));
        string[] imap = MailClients.ListMailboxes(dovecot, user);
        Assert.Equal(["Archive", "INBOX", "Lists"], imap);
        string[] doveadm = dovecot.Doveadm("mailbox", "list", "-u", user.Name)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(imap, doveadm);

        // Sieve's fileinto during an LMTP delivery lands in the Lists IMAP shows, under the same root.
        int before = ListsCount(user);
        string subject = $"[list] for {user.Name} {Guid.NewGuid():N}";
        Assert.Equal(250, LmtpDelivery.Deliver(dovecot.LmtpSocket, user.Name, subject).Code);
        Assert.Equal(before + 1, ListsCount(user));
        foreach (string candidate in AllServicesOwnLocationDovecot.Roots.Keys)
        {
            string lists = File.ReadAllText(Path.Combine(user.Home, candidate, "Lists"));
            Assert.Equal(candidate == root, lists.Contains(subject, StringComparison.Ordinal));
        }
    }

    private int ListsCount(TestUser user)
    {
        using var transcript = new MemoryStream();
        using ImapClient client = MailClients.Imap(dovecot, transcript);
        client.Authenticate(user.Name, TestUser.Password);
        IMailFolder lists = client.GetFolder("Lists");
        lists.Status(StatusItems.Count);
        client.Disconnect(quit: true);
        return lists.Count;
    }
}

/// <summary><c>[state] default = legacy</c>, no uid rule, on Debian 12's Dovecot 2.3.</summary>
public sealed class LegacyUserKeepsDovecotsOwnLocationEverywhereOnDovecot23(AllServicesOwnLocationDovecot23 dovecot)
    : LegacyUserKeepsDovecotsOwnLocationEverywhere<AllServicesOwnLocationDovecot23>(dovecot);

/// <summary><c>[state] default = legacy</c>, no uid rule, on Debian 13's Dovecot 2.4.</summary>
public sealed class LegacyUserKeepsDovecotsOwnLocationEverywhereOnDovecot24(AllServicesOwnLocationDovecot24 dovecot)
    : LegacyUserKeepsDovecotsOwnLocationEverywhere<AllServicesOwnLocationDovecot24>(dovecot);

/// <summary><c>[state] default = migrated</c> on Debian 12's Dovecot 2.3.</summary>
public sealed class LegacyUserKeepsDovecotsOwnLocationEverywhereWithMigratedDefaultOnDovecot23(AllServicesOwnLocationMigratedDefaultDovecot23 dovecot)
    : LegacyUserKeepsDovecotsOwnLocationEverywhere<AllServicesOwnLocationMigratedDefaultDovecot23>(dovecot);

/// <summary><c>[state] default = migrated</c> on Debian 13's Dovecot 2.4.</summary>
public sealed class LegacyUserKeepsDovecotsOwnLocationEverywhereWithMigratedDefaultOnDovecot24(AllServicesOwnLocationMigratedDefaultDovecot24 dovecot)
    : LegacyUserKeepsDovecotsOwnLocationEverywhere<AllServicesOwnLocationMigratedDefaultDovecot24>(dovecot);

/// <summary><c>[state] default = legacy</c>, no uid rule, on Debian forky's Dovecot 2.4.5.</summary>
public sealed class LegacyUserKeepsDovecotsOwnLocationEverywhereOnDovecot245(AllServicesOwnLocationDovecot245 dovecot)
    : LegacyUserKeepsDovecotsOwnLocationEverywhere<AllServicesOwnLocationDovecot245>(dovecot);

/// <summary><c>[state] default = migrated</c> on Debian forky's Dovecot 2.4.5.</summary>
public sealed class LegacyUserKeepsDovecotsOwnLocationEverywhereWithMigratedDefaultOnDovecot245(AllServicesOwnLocationMigratedDefaultDovecot245 dovecot)
    : LegacyUserKeepsDovecotsOwnLocationEverywhere<AllServicesOwnLocationMigratedDefaultDovecot245>(dovecot);
