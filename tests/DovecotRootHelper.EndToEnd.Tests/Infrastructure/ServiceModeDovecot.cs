namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>The private Dovecot with the hook as the post-login service itself (no script-login), from the shipped snippet.</summary>
public sealed class ServiceModeDovecot : PrivateDovecot
{
    public ServiceModeDovecot()
        : base(RepositoryLayout.PostLoginServiceSnippet)
    {
    }
}
