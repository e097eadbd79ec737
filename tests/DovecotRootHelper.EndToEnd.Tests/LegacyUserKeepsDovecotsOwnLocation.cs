using DovecotRootHelper.EndToEnd.Tests.Infrastructure;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>
/// With <c>[locations] legacy</c> unset (the shipped config), the post-login hook hands a legacy user
/// nothing: Dovecot's own mail location applies (here <c>~/mail</c>, as Debian's), not the home.
/// </summary>
public abstract class LegacyUserKeepsDovecotsOwnLocation(DovecotOwnLocationDovecot dovecot)
{
    [Fact]
    public void AListedLegacyUserSeesDovecotsConfiguredRoot() =>
        Assert.Equal(["Archive", "INBOX", "Lists", "Lists/debian"], MailClients.ListMailboxes(dovecot, dovecot.Alice));

    [Fact]
    public void AnUnlistedUserSeesDovecotsConfiguredRoot() =>
        Assert.Equal("dave's archive", MailClients.FirstSubject(dovecot, dovecot.Dave, "Archive"));

    [Fact]
    public void AMigratedUserStillGetsTheImapSubdirectory() =>
        Assert.Contains("mail/Archive", MailClients.ListMailboxes(dovecot, dovecot.Bob));
}

/// <summary>On Debian 12's Dovecot 2.3.</summary>
public sealed class LegacyUserKeepsDovecotsOwnLocationOnDovecot23(DovecotOwnLocationDovecot23 dovecot) : LegacyUserKeepsDovecotsOwnLocation(dovecot), IClassFixture<DovecotOwnLocationDovecot23>;

/// <summary>On Debian 13's Dovecot 2.4, in the cached Debian 13 tree.</summary>
public sealed class LegacyUserKeepsDovecotsOwnLocationOnDovecot24(DovecotOwnLocationDovecot24 dovecot) : LegacyUserKeepsDovecotsOwnLocation(dovecot), IClassFixture<DovecotOwnLocationDovecot24>;

/// <summary>On Debian forky's Dovecot 2.4.5, in the cached forky tree.</summary>
public sealed class LegacyUserKeepsDovecotsOwnLocationOnDovecot245(DovecotOwnLocationDovecot245 dovecot) : LegacyUserKeepsDovecotsOwnLocation(dovecot), IClassFixture<DovecotOwnLocationDovecot245>;
