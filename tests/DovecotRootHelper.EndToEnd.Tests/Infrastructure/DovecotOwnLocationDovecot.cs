namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The private Dovecot with the post-login hook, whose own mail location is Debian's
/// <c>mbox:~/mail:INBOX=...</c> (not the home), and a hook config with <c>[locations] legacy</c> unset.
/// </summary>
public abstract class DovecotOwnLocationDovecot(DovecotGeneration generation)
    : PrivateDovecot(RepositoryLayout.PostLoginSnippet(generation), generation, new Dictionary<string, string> { ["MAIL_ROOT"] = "~/mail" })
{
    protected override bool LegacyUnset => true;
}

/// <summary>On Debian 12's Dovecot 2.3.</summary>
public sealed class DovecotOwnLocationDovecot23() : DovecotOwnLocationDovecot(DovecotGeneration.V23);

/// <summary>On Debian 13's Dovecot 2.4, in the cached Debian 13 tree.</summary>
public sealed class DovecotOwnLocationDovecot24() : DovecotOwnLocationDovecot(DovecotGeneration.V24);

/// <summary>On Debian forky's Dovecot 2.4.5, in the cached forky tree.</summary>
public sealed class DovecotOwnLocationDovecot245() : DovecotOwnLocationDovecot(DovecotGeneration.V245);
