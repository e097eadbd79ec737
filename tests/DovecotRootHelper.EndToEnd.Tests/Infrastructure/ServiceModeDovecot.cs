namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The private Dovecot 2.3 with the hook as the post-login service itself (no script-login), from
/// the shipped snippet. 2.3 only: the service mode speaks Dovecot 2.3's internal protocol.
/// </summary>
public sealed class ServiceModeDovecot : PrivateDovecot
{
    public ServiceModeDovecot()
        : base(RepositoryLayout.PostLoginServiceSnippet, DovecotGeneration.V23)
    {
    }
}
