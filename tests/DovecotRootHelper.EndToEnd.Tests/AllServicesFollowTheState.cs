using DovecotRootHelper.EndToEnd.Tests.Infrastructure;
using MailKit;
using MailKit.Net.Imap;

namespace DovecotRootHelper.EndToEnd.Tests;

/// <summary>
/// The all-services setup: IMAP, POP3, LMTP with Sieve and doveadm all get the root the state
/// decides, with real Unix accounts; a migrating user is refused for now by every service; an
/// account created after the last state write starts migrated; after imaproot migrate the next
/// delivery lands under the new root, and deliveries during a migration are deferred, never lost.
/// </summary>
public abstract class AllServicesFollowTheState<TDovecot>(TDovecot dovecot) : IClassFixture<TDovecot>
    where TDovecot : AllServicesDovecot
{
    private static readonly string[] ImapRootMailboxes = ["Archive", "INBOX", "Lists"];

    [Fact]
    public void ListedLegacyUserGetsHomeEverywhere() => AssertRootEverywhere(dovecot.Legacy, migrated: false);

    [Fact]
    public void ListedMigratedUserGetsImapSubdirectoryEverywhere() => AssertRootEverywhere(dovecot.Migrated, migrated: true);

    [Fact]
    public void AUserSetMigratedWithImaprootGetsTheImapSubdirectoryEverywhereAtOnce()
    {
        TestUser user = dovecot.Toggled;
        AssertRootEverywhere(user, migrated: false);
        try
        {
            // No reload, no restart: Dovecot re-reads the passwd-file imaproot rewrote.
            dovecot.Imaproot("set", user.Name, "migrated").Succeeded();
            AssertRootEverywhere(user, migrated: true);
        }
        finally
        {
            dovecot.Imaproot("set", user.Name, "legacy").Succeeded();
        }
        AssertRootEverywhere(user, migrated: false);
    }

    [Fact]
    public void UnlistedUserBelowTheUidRuleGetsTheDefaultEverywhere() => AssertRootEverywhere(dovecot.Unlisted, migrated: false);

    [Fact]
    public void AccountCreatedAfterTheLastStateWriteStartsMigrated()
    {
        // No imaproot command runs between the account's creation and its first login.
        TestUser newcomer = dovecot.Account(dovecot.Generation.Account("drhall-newcomer"), dovecot.MigratedFromUid + 10, Path.GetDirectoryName(dovecot.Legacy.Home)!);
        AllServicesDovecot.Fill(newcomer, Path.Combine(newcomer.Home, "IMAP"));
        AssertRootEverywhere(newcomer, migrated: true);
    }

    [Fact]
    public void MigratingUserIsRefusedForNowByEveryService()
    {
        TestUser user = dovecot.Migrating;
        for (int i = 0; i < 5; i++)
        {
            // The refusal passdb answers at authentication (the exact words: MigratingUserReadsWhy).
            using RawLineClient imap = RawLineClient.Connect(dovecot.ImapPort);
            imap.Send($"a LOGIN {user.Name} {TestUser.Password}");
            Assert.StartsWith("a NO [UNAVAILABLE]", imap.ReadLine(), StringComparison.Ordinal);
        }
        for (int i = 0; i < 5; i++)
        {
            using RawLineClient pop3 = RawLineClient.Connect(dovecot.Pop3Port);
            pop3.Send($"USER {user.Name}");
            Assert.StartsWith("+OK", pop3.ReadLine(), StringComparison.Ordinal);
            pop3.Send($"PASS {TestUser.Password}");
            Assert.StartsWith("-ERR [SYS/TEMP]", pop3.ReadLine(), StringComparison.Ordinal);
        }
        LmtpReply delivery = LmtpDelivery.Deliver(dovecot.LmtpSocket, user.Name, "[list] while migrating");
        Assert.True(delivery.Code / 100 == 4, $"LMTP must defer the delivery; it answered {delivery.Text}");
        Assert.Throws<InvalidOperationException>(() => dovecot.Doveadm("mailbox", "list", "-u", user.Name));
        Assert.DoesNotContain("while migrating", File.ReadAllText(Path.Combine(user.Home, "Lists")), StringComparison.Ordinal);
    }

    [Fact]
    public void AfterImaprootMigrateTheNextDeliveryLandsUnderTheNewRoot()
    {
        TestUser user = dovecot.Mover;
        UseMailboxes(user);
        try
        {
            dovecot.Imaproot("migrate", "--yes", user.Name).Succeeded();
            Assert.Equal(250, LmtpCode(user, "[list] after the move"));
            Assert.Contains("[list] after the move", File.ReadAllText(Path.Combine(user.Home, "IMAP", "Lists")), StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(user.Home, "Lists")), "a Lists appeared under the old root");
            AssertRootEverywhere(user, migrated: true);
        }
        finally
        {
            dovecot.Imaproot("rollback", user.Name);
        }
    }

    [Fact]
    public void ARollbackAfterTheMigratedRootWasServedFinishes()
    {
        TestUser user = dovecot.RolledBack;
        UseMailboxes(user);
        // A legacy root Dovecot never indexed (the subscriptions say which mailboxes there are).
        string legacyIndex = Path.Combine(user.Home, ".imap");
        if (Directory.Exists(legacyIndex))
            Directory.Delete(legacyIndex, recursive: true);
        try
        {
            dovecot.Imaproot("migrate", "--yes", user.Name).Succeeded();
            Assert.False(Directory.Exists(Path.Combine(user.Home, "IMAP", ".imap")), "the migration brought an index along");
            // A client selects every mailbox: Dovecot indexes the migrated root in IMAP/.imap.
            Assert.Contains(MailClients.MessageCounts(dovecot, user), count => count.StartsWith("Archive ", StringComparison.Ordinal));
            Assert.True(Directory.Exists(Path.Combine(user.Home, "IMAP", ".imap")), "Dovecot made no index of the migrated root");

            ImaprootRun rollback = dovecot.Imaproot("rollback", "--yes", user.Name);

            rollback.Succeeded();
            Assert.Contains("set aside what Dovecot had recreated: IMAP/.imap -> .imaproot-set-aside/", rollback.Stdout + rollback.Stderr, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(user.Home, "IMAP")), "the migrated root is still there");
            AssertRootEverywhere(user, migrated: false);
        }
        finally
        {
            dovecot.Imaproot("rollback", user.Name);
        }
    }

    [Fact]
    public void DeliveriesDuringAMigrationAreDeferredNeverLost()
    {
        TestUser user = dovecot.Busy;
        UseMailboxes(user);
        const int Count = 30;
        var delivered = new List<LmtpReply>[Count];
        try
        {
            using var firstDone = new ManualResetEventSlim();
            var deliveries = new Thread(() =>
            {
                for (int i = 0; i < Count; i++)
                {
                    delivered[i] = LmtpDelivery.DeliverWithRetries(dovecot.LmtpSocket, user.Name, Subject(i), TimeSpan.FromSeconds(90));
                    if (i == 2)
                        firstDone.Set();
                }
            });
            deliveries.Start();
            Assert.True(firstDone.Wait(TimeSpan.FromSeconds(60)), "the first deliveries never finished");
            dovecot.Imaproot("migrate", "--yes", user.Name).Succeeded();
            Assert.True(deliveries.Join(TimeSpan.FromSeconds(180)), "the deliveries did not finish");

            Assert.All(delivered, replies => Assert.Equal(250, replies[^1].Code));
            string lists = File.ReadAllText(Path.Combine(user.Home, "IMAP", "Lists"));
            string inbox = File.ReadAllText(Path.Combine(dovecot.DovecotDirectory, "spool", user.Name));
            for (int i = 0; i < Count; i++)
                Assert.Contains(Subject(i), i % 2 == 0 ? lists : inbox, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(user.Home, "Lists")), "a Lists appeared under the old root");
            Assert.Equal(1 + ((Count + 1) / 2), ListsCount(user));
        }
        finally
        {
            dovecot.Imaproot("rollback", user.Name);
        }

        static string Subject(int i) => i % 2 == 0 ? $"[list] number {i}" : $"plain number {i}";
    }

    private void AssertRootEverywhere(TestUser user, bool migrated)
    {
        // A mailbox only the legacy root ($HOME) holds: it shows exactly when the root is $HOME.
        MailTree.AddMailbox(user, user.Home, "HomeMarker", "only in $HOME");
        string[] imap = MailClients.ListMailboxes(dovecot, user);
        if (migrated)
            Assert.Equal(ImapRootMailboxes, imap);
        else
            Assert.Contains("HomeMarker", imap);
        Assert.Contains("Lists", imap);

        string[] doveadm = dovecot.Doveadm("mailbox", "list", "-u", user.Name)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(imap, doveadm);

        using (var transcript = new MemoryStream())
        using (var pop3 = MailClients.Pop3(dovecot, transcript))
        {
            pop3.Authenticate(user.Name, TestUser.Password);
            Assert.True(pop3.Count >= 1);
            pop3.Disconnect(quit: true);
        }

        int before = ListsCount(user);
        string subject = $"[list] for {user.Name} {Guid.NewGuid():N}";
        Assert.Equal(250, LmtpCode(user, subject));
        Assert.Equal(before + 1, ListsCount(user));
        string root = migrated ? Path.Combine(user.Home, "IMAP") : user.Home;
        Assert.Contains(subject, File.ReadAllText(Path.Combine(root, "Lists")), StringComparison.Ordinal);
    }

    private int LmtpCode(TestUser user, string subject) => LmtpDelivery.Deliver(dovecot.LmtpSocket, user.Name, subject).Code;

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

    /// <summary>Selects and subscribes the user's mailboxes over IMAP, as a client would: the evidence imaproot moves by.</summary>
    private void UseMailboxes(TestUser user)
    {
        using var transcript = new MemoryStream();
        using ImapClient client = MailClients.Imap(dovecot, transcript);
        client.Authenticate(user.Name, TestUser.Password);
        foreach (string name in new[] { "Archive", "Lists" })
        {
            IMailFolder folder = client.GetFolder(name);
            folder.Open(FolderAccess.ReadWrite);
            folder.Subscribe();
            folder.Close();
        }
        client.Disconnect(quit: true);
    }
}

public sealed class AllServicesFollowTheStateOnDovecot23(AllServicesDovecot23 dovecot) : AllServicesFollowTheState<AllServicesDovecot23>(dovecot);

public sealed class AllServicesFollowTheStateOnDovecot24(AllServicesDovecot24 dovecot) : AllServicesFollowTheState<AllServicesDovecot24>(dovecot);

public sealed class AllServicesFollowTheStateOnDovecot245(AllServicesDovecot245 dovecot) : AllServicesFollowTheState<AllServicesDovecot245>(dovecot);
