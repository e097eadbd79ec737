using DovecotRootHelper.EndToEnd.Tests.Infrastructure;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>The hook reads the state file at every login: an atomic rewrite applies to the next login, with no reload of Dovecot.</summary>
public abstract class StateChangeTakesEffectAtNextLogin(PrivateDovecot dovecot) : IDisposable
{
    private static string With(string line) =>
        PrivateDovecot.InitialState.Replace("bob migrated moved 2024-01-01 by the tests", line, StringComparison.Ordinal);

    [Fact]
    public void EachRewriteOfTheStateFileDecidesTheNextLogin()
    {
        string pid = dovecot.MasterPid;
        long log = dovecot.LogLength();

        Assert.DoesNotContain("Stale", MailClients.ListMailboxes(dovecot, dovecot.Bob));

        dovecot.WriteState(With("bob legacy"));
        Assert.Contains("Stale", MailClients.ListMailboxes(dovecot, dovecot.Bob));

        dovecot.WriteState(With("bob migrating"));
        Assert.ThrowsAny<Exception>(() => MailClients.ListMailboxes(dovecot, dovecot.Bob));

        dovecot.WriteState(With("bob migrated"));
        string[] names = MailClients.ListMailboxes(dovecot, dovecot.Bob);
        Assert.Contains("mail/Lists/debian", names);
        Assert.DoesNotContain("Stale", names);

        Assert.Equal(pid, dovecot.MasterPid);
        Assert.DoesNotContain("reloading", dovecot.LogSince(log), StringComparison.OrdinalIgnoreCase);
    }

    public void Dispose()
    {
        dovecot.RestoreState();
        GC.SuppressFinalize(this);
    }
}

/// <summary>On Debian 12's Dovecot 2.3.</summary>
public sealed class StateChangeTakesEffectAtNextLoginOnDovecot23(PrivateDovecot23 dovecot) : StateChangeTakesEffectAtNextLogin(dovecot), IClassFixture<PrivateDovecot23>;

/// <summary>On Debian 13's Dovecot 2.4, in the cached Debian 13 tree.</summary>
public sealed class StateChangeTakesEffectAtNextLoginOnDovecot24(PrivateDovecot24 dovecot) : StateChangeTakesEffectAtNextLogin(dovecot), IClassFixture<PrivateDovecot24>;

/// <summary>On Debian forky's Dovecot 2.4.5, in the cached forky tree.</summary>
public sealed class StateChangeTakesEffectAtNextLoginOnDovecot245(PrivateDovecot245 dovecot) : StateChangeTakesEffectAtNextLogin(dovecot), IClassFixture<PrivateDovecot245>;
