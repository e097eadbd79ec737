namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The all-services sandbox with <c>[locations] legacy</c> unset, no uid rule and Dovecot's own
/// location <c>mbox:~/mail:INBOX=...</c> (Debian's): a listed legacy user, a listed migrated one and
/// an unlisted one, each with an Archive and a Lists in all three candidate roots ($HOME, ~/mail,
/// ~/IMAP) whose first message names the root, so IMAP and a Sieve delivery show which one they got.
/// </summary>
public abstract class AllServicesOwnLocationDovecot : AllServicesSandbox
{
    /// <summary>The candidate roots, relative to the home, and the label their mail carries.</summary>
    public static readonly IReadOnlyDictionary<string, string> Roots = new Dictionary<string, string>
    {
        [""] = "home",
        ["mail"] = "mail",
        ["IMAP"] = "IMAP",
    };

    /// <param name="prefix">The accounts' prefix on 2.3 (<c>drhall-own-</c>), <paramref name="firstUid"/> their first uid there; shifted for the other generations (<see cref="DovecotGenerationExtensions.Account"/>).</param>
    protected AllServicesOwnLocationDovecot(DovecotGeneration generation, bool defaultMigrated, string prefix, int firstUid)
        : base(generation, $"{generation.Account(prefix)}legacy legacy\n{generation.Account(prefix)}migrated migrated\n", migratedFromUid: null, legacyUnset: true,
            defaultState: defaultMigrated ? "migrated" : "legacy", mailRoot: "~/mail")
    {
        prefix = generation.Account(prefix);
        firstUid = generation.AccountUid(firstUid);
        try
        {
            DefaultMigrated = defaultMigrated;
            string home = Path.Combine(DovecotDirectory, "home");
            Legacy = Account(prefix + "legacy", firstUid, home);
            Migrated = Account(prefix + "migrated", firstUid + 1, home);
            Unlisted = Account(prefix + "unlisted", firstUid + 2, home);
            foreach (TestUser user in new[] { Legacy, Migrated, Unlisted })
            {
                foreach ((string root, string label) in Roots)
                {
                    MailTree.AddMailbox(user, Path.Combine(user.Home, root), "Archive", $"archive in {label}");
                    MailTree.AddMailbox(user, Path.Combine(user.Home, root), "Lists", $"lists in {label}");
                }
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary><c>[state] default = migrated</c> rather than legacy.</summary>
    public bool DefaultMigrated { get; }

    public TestUser Legacy { get; }

    public TestUser Migrated { get; }

    /// <summary>Not in the state file: <c>[state] default</c>.</summary>
    public TestUser Unlisted { get; }
}

/// <summary><c>[state] default = legacy</c> on Debian 12's Dovecot 2.3.</summary>
public sealed class AllServicesOwnLocationDovecot23() : AllServicesOwnLocationDovecot(DovecotGeneration.V23, defaultMigrated: false, "drhall-own-", 22331);

/// <summary><c>[state] default = legacy</c> on Debian 13's Dovecot 2.4.</summary>
public sealed class AllServicesOwnLocationDovecot24() : AllServicesOwnLocationDovecot(DovecotGeneration.V24, defaultMigrated: false, "drhall-own-", 22331);

/// <summary><c>[state] default = migrated</c> on Debian 12's Dovecot 2.3.</summary>
public sealed class AllServicesOwnLocationMigratedDefaultDovecot23() : AllServicesOwnLocationDovecot(DovecotGeneration.V23, defaultMigrated: true, "drhall-ownm-", 22341);

/// <summary><c>[state] default = migrated</c> on Debian 13's Dovecot 2.4.</summary>
public sealed class AllServicesOwnLocationMigratedDefaultDovecot24() : AllServicesOwnLocationDovecot(DovecotGeneration.V24, defaultMigrated: true, "drhall-ownm-", 22341);

/// <summary><c>[state] default = legacy</c> on Debian forky's Dovecot 2.4.5.</summary>
public sealed class AllServicesOwnLocationDovecot245() : AllServicesOwnLocationDovecot(DovecotGeneration.V245, defaultMigrated: false, "drhall-own-", 22331);

/// <summary><c>[state] default = migrated</c> on Debian forky's Dovecot 2.4.5.</summary>
public sealed class AllServicesOwnLocationMigratedDefaultDovecot245() : AllServicesOwnLocationDovecot(DovecotGeneration.V245, defaultMigrated: true, "drhall-ownm-", 22341);
