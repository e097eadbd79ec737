namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The pgsql all-services setup (<see cref="PgsqlUserdbDovecot"/>) driven by the published imaproot
/// with the state in that database (<c>[state] backend = postgresql</c>) and a <c>[migration]</c>
/// section against this very Dovecot, and one more account, <see cref="Mover"/>, whose mail lives at
/// the legacy root only: what a migration moves. <c>[locations] legacy</c> is set here (Dovecot's own
/// location, as the table's row then says too): imaproot moves mail only from a root it is told.
/// </summary>
public abstract class PgsqlMigrationDovecot : PgsqlUserdbDovecot
{
    /// <summary>The mover's mailboxes (on-disk names) and how many messages each holds; INBOX is in the spool.</summary>
    public static readonly IReadOnlyDictionary<string, int> Mailboxes = new Dictionary<string, int>
    {
        ["Archive"] = 3,
        ["Sent"] = 2,
        ["My Folder"] = 1,
    };

    protected override bool LegacyUnset => false;

    protected PgsqlMigrationDovecot(DovecotGeneration generation)
        : base(generation)
    {
        try
        {
            string config = File.ReadAllText(ConfigPath);
            if (!config.Contains("[state]\n", StringComparison.Ordinal))
                throw new InvalidOperationException($"{ConfigPath} has no [state] section");
            File.WriteAllText(ConfigPath, config.Replace("[state]\n", "[state]\nbackend = postgresql\n", StringComparison.Ordinal));
            AppendMigrationSection(kickTimeoutSeconds: 10);
            // Below migrated-from-uid and not in the table: legacy by [state] default.
            Mover = Account("drhall-pgmover", 22706, Path.Combine(DovecotDirectory, "home"));
            foreach (KeyValuePair<string, int> mailbox in Mailboxes)
                MailTree.AddFile(Mover, Mover.Home, mailbox.Key, string.Concat(Enumerable.Range(1, mailbox.Value).Select(n => MailTree.Message($"{mailbox.Key} {n}"))));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Legacy, with mail at the legacy root only; each test leaves it legacy.</summary>
    public TestUser Mover { get; } = null!;

    /// <summary>The published imaproot with this sandbox's config.</summary>
    public ImaprootRun Imaproot(params string[] arguments) => Infrastructure.Imaproot.Run(ConfigPath, arguments);

    /// <summary>The user's state in imaproot.user_state, or "" when the table does not list the user.</summary>
    public string StateInTable(TestUser user) =>
        Database.Query($"SELECT state FROM imaproot.user_state WHERE user_name = '{user.Name}'").Trim();
}

/// <summary>On Debian 12's Dovecot 2.3.</summary>
public sealed class PgsqlMigrationDovecot23() : PgsqlMigrationDovecot(DovecotGeneration.V23);

/// <summary>On Debian 13's Dovecot 2.4.1.</summary>
public sealed class PgsqlMigrationDovecot24() : PgsqlMigrationDovecot(DovecotGeneration.V24);

/// <summary>On Debian forky's Dovecot 2.4.5.</summary>
public sealed class PgsqlMigrationDovecot245() : PgsqlMigrationDovecot(DovecotGeneration.V245);
