using System.Text;
using DovecotRootHelper.EndToEnd.Tests.Infrastructure;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>
/// The all-services setup's refusal passdb: a user being migrated who gives the right password reads
/// why on every IMAP and POP3 attempt, with the reason's spaces intact, as a temporary failure (never
/// an authentication failure, which makes clients ask for the password again); a wrong password stays
/// an authentication failure and learns nothing; LMTP, which has no passdb, still defers. Without the
/// passdb (the userdb's temporary failure alone) most IMAP attempts saw the connection closed with
/// nothing said (docs/refusal.md).
/// </summary>
public abstract class MigratingUserReadsWhy<TDovecot>(TDovecot dovecot) : IClassFixture<TDovecot>
    where TDovecot : AllServicesDovecot
{
    private const int Attempts = 20;
    // What the client reads (UserdbOverlay.RefusalReason), spaces and all.
    private const string Reason = "Mailboxes are being moved, please try again in a few minutes";
    private const string ImapRefusal = "NO [UNAVAILABLE] " + Reason;
    private const string Pop3Refusal = "-ERR [SYS/TEMP] " + Reason;

    [Fact]
    public void EveryImapLoginReadsTheReason()
    {
        TestUser user = dovecot.Migrating;
        var answers = new List<string>();
        for (int i = 0; i < Attempts; i++)
        {
            if (i % 2 == 0)
            {
                using RawLineClient imap = RawLineClient.Connect(dovecot.ImapPort);
                imap.Send($"a LOGIN {user.Name} {TestUser.Password}");
                answers.Add(imap.ReadLine() ?? "(connection closed)");
            }
            else
            {
                // MailKit authenticates with AUTHENTICATE PLAIN: the SASL path, not LOGIN.
                using var transcript = new MemoryStream();
                using (ImapClient client = MailClients.Imap(dovecot, transcript))
                    Assert.ThrowsAny<Exception>(() => client.Authenticate(user.Name, TestUser.Password));
                answers.Add(LastServerLine(transcript));
            }
        }
        Assert.All(answers, answer => Assert.EndsWith(ImapRefusal, answer, StringComparison.Ordinal));
    }

    [Fact]
    public void EveryPop3LoginReadsTheReason()
    {
        TestUser user = dovecot.Migrating;
        var answers = new List<string>();
        for (int i = 0; i < Attempts; i++)
        {
            if (i % 2 == 0)
            {
                using RawLineClient pop3 = RawLineClient.Connect(dovecot.Pop3Port);
                pop3.Send($"USER {user.Name}");
                Assert.StartsWith("+OK", pop3.ReadLine(), StringComparison.Ordinal);
                pop3.Send($"PASS {TestUser.Password}");
                answers.Add(pop3.ReadLine() ?? "(connection closed)");
            }
            else
            {
                using var transcript = new MemoryStream();
                using (Pop3Client client = MailClients.Pop3(dovecot, transcript))
                    Assert.ThrowsAny<Exception>(() => client.Authenticate(user.Name, TestUser.Password));
                answers.Add(LastServerLine(transcript));
            }
        }
        Assert.All(answers, answer => Assert.Equal(Pop3Refusal, answer));
    }

    [Fact]
    public void AWrongPasswordStaysAnAuthenticationFailureAndLearnsNothing()
    {
        TestUser user = dovecot.Migrating;
        using (RawLineClient imap = RawLineClient.Connect(dovecot.ImapPort))
        {
            imap.Send($"a LOGIN {user.Name} wrong");
            Assert.StartsWith("a NO [AUTHENTICATIONFAILED]", imap.ReadLine(), StringComparison.Ordinal);
        }
        using RawLineClient pop3 = RawLineClient.Connect(dovecot.Pop3Port);
        pop3.Send($"USER {user.Name}");
        pop3.ReadLine();
        pop3.Send("PASS wrong");
        string? reply = pop3.ReadLine();
        Assert.StartsWith("-ERR [AUTH]", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("moved", reply, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherUsersLogInAsBefore()
    {
        foreach (TestUser user in new[] { dovecot.Legacy, dovecot.Migrated, dovecot.Unlisted })
        {
            using RawLineClient imap = RawLineClient.Connect(dovecot.ImapPort);
            imap.Send($"a LOGIN {user.Name} {TestUser.Password}");
            Assert.StartsWith("a OK", imap.ReadLine(), StringComparison.Ordinal);
            using RawLineClient pop3 = RawLineClient.Connect(dovecot.Pop3Port);
            pop3.Send($"USER {user.Name}");
            pop3.ReadLine();
            pop3.Send($"PASS {TestUser.Password}");
            Assert.StartsWith("+OK", pop3.ReadLine(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void DeliveriesAreStillDeferred()
    {
        // LMTP asks no passdb: the userdb's temporary failure is what defers the message.
        LmtpReply delivery = LmtpDelivery.Deliver(dovecot.LmtpSocket, dovecot.Migrating.Name, "while migrating");
        Assert.True(delivery.Code / 100 == 4, $"LMTP must defer the delivery; it answered {delivery.Text}");
    }

    // The server's last line in a MailKit transcript ("S: " lines), without the prefix.
    private static string LastServerLine(MemoryStream transcript) =>
        Encoding.ASCII.GetString(transcript.ToArray())
            .Split("\r\n")
            .LastOrDefault(line => line.StartsWith("S: ", StringComparison.Ordinal))?[3..] ?? "(nothing)";
}

public sealed class MigratingUserReadsWhyOnDovecot23(AllServicesDovecot23 dovecot) : MigratingUserReadsWhy<AllServicesDovecot23>(dovecot);

public sealed class MigratingUserReadsWhyOnDovecot24(AllServicesDovecot24 dovecot) : MigratingUserReadsWhy<AllServicesDovecot24>(dovecot);
