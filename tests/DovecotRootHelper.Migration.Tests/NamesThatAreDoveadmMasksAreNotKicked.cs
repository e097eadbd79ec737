using DovecotRootHelper.Configuration;

namespace DovecotRootHelper.Migration.Tests;

/// <summary>
/// Issue 21: doveadm's kick and who read a user name as a mask (wildcards, an IP range). A name the
/// user-name rule allows but doveadm would read as a mask is refused before any server is asked:
/// kicked over the protocol it would reach other users' sessions, and who would not see this one's.
/// </summary>
public class NamesThatAreDoveadmMasksAreNotKicked
{
    // Nothing listens on port 1 and the password file does not exist: the refusal must come first.
    private static readonly RemoteDoveadm Servers = new([new DoveadmAddress("127.0.0.1", 1)], "/nonexistent/doveadm-password", TimeSpan.FromSeconds(1));

    [Theory]
    [InlineData("a*")]
    [InlineData("bo?")]
    [InlineData("10.0.0.1")]
    [InlineData("192.168.0.0/16")]
    public void KickAndWhoRefuseTheName(string user)
    {
        Assert.Equal($"kick {user} over the doveadm protocol: doveadm would read the name as a mask (wildcard or IP address), not as this one user", Servers.Kick(user));
        _ = Servers.Sessions(user, out string? failure);
        Assert.StartsWith($"who {user} over the doveadm protocol: doveadm would read the name as a mask", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alice")]
    [InlineData("alice.smith")]
    [InlineData("1.2.3")]
    public void AnOrdinaryNameGoesOnToTheServers(string user)
    {
        // It gets as far as the password file.
        Assert.StartsWith("[migration] doveadm-password-file /nonexistent/doveadm-password: cannot open", Servers.Kick(user), StringComparison.Ordinal);
    }
}
