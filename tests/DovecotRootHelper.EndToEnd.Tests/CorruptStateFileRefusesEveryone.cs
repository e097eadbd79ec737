using System.Text;
using DovecotRootHelper.EndToEnd.Tests.Infrastructure;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>A state file that is not text (a crash, a bad copy) decides nothing: every login is refused and the log says why.</summary>
public abstract class CorruptStateFileRefusesEveryone(PrivateDovecot dovecot) : IDisposable
{
    [Fact]
    public void StateFileWithBinaryJunkRefusesEveryUserAndTheLogNamesTheFile()
    {
        byte[] junk = [.. Encoding.ASCII.GetBytes("alice legacy\nbob migrated\n"), 0, 0, 0, 0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe, 0x01, (byte)'\n'];
        dovecot.WriteState(junk);

        AssertEveryoneRefused("control byte 0x00");
    }

    [Fact]
    public void StateFileOfZeroBytesRefusesEveryUser()
    {
        // What a file written without fsync can look like after a power cut.
        dovecot.WriteState(new byte[4096]);

        AssertEveryoneRefused("control byte 0x00");
    }

    public void Dispose()
    {
        dovecot.RestoreState();
        GC.SuppressFinalize(this);
    }

    private void AssertEveryoneRefused(string reason)
    {
        foreach (TestUser user in new[] { dovecot.Alice, dovecot.Bob, dovecot.Dave })
        {
            long log = dovecot.LogLength();
            using var client = RawLineClient.Connect(dovecot.ImapPort);

            client.Send($"a LOGIN {user.Name} {TestUser.Password}");

            Assert.Equal(["* BYE [UNAVAILABLE] Mail service is temporarily unavailable; please try again later."], client.ReadToClose());
            string written = dovecot.WaitForLog(log, $"Post-login script denied access to user {user.Name}");
            string hookLine = Assert.Single(written.Split('\n'), line => line.Contains("dovecot-root-helper: ", StringComparison.Ordinal));
            Assert.Contains($"login refused for {user.Name}", hookLine, StringComparison.Ordinal);
            Assert.Contains(dovecot.StatePath, hookLine, StringComparison.Ordinal);
            Assert.Contains(reason, hookLine, StringComparison.Ordinal);
        }
    }
}

/// <summary>On Debian 12's Dovecot 2.3.</summary>
public sealed class CorruptStateFileRefusesEveryoneOnDovecot23(PrivateDovecot23 dovecot) : CorruptStateFileRefusesEveryone(dovecot), IClassFixture<PrivateDovecot23>;

/// <summary>On Debian 13's Dovecot 2.4, in the cached Debian 13 tree.</summary>
public sealed class CorruptStateFileRefusesEveryoneOnDovecot24(PrivateDovecot24 dovecot) : CorruptStateFileRefusesEveryone(dovecot), IClassFixture<PrivateDovecot24>;

/// <summary>On Debian forky's Dovecot 2.4.5, in the cached forky tree.</summary>
public sealed class CorruptStateFileRefusesEveryoneOnDovecot245(PrivateDovecot245 dovecot) : CorruptStateFileRefusesEveryone(dovecot), IClassFixture<PrivateDovecot245>;
