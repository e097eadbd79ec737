namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The conversion sandbox (<see cref="ConversionDovecot"/>) with accounts of its own, for the tests
/// that kill the crash-test imaproot in the middle of a conversion: one user per test, each put
/// back to its first mail and state by <see cref="Fresh"/> before the test starts.
/// </summary>
public abstract class ConversionKillsDovecot(DovecotGeneration generation)
    : ConversionDovecot(generation, [.. new[] { "drhall-ckphase", "drhall-ckpresync", "drhall-ckcutover", "drhall-ckpop" }.Select(name => generation.Account(name))], generation.AccountUid(22181))
{
    /// <summary>Killed and resumed at every phase.</summary>
    public TestUser Phases => Users[0];

    /// <summary>Gets mail while the conversion is killed after its copy while online.</summary>
    public TestUser PreSync => Users[1];

    /// <summary>Gets mail while the conversion is killed in its cut-over.</summary>
    public TestUser CutOver => Users[2];

    /// <summary>Reads its mail over POP3.</summary>
    public TestUser Pop3 => Users[3];

    public string JournalPath(TestUser user) => Path.Combine(Etc, "journal", user.Name + ".conversion");

    /// <summary>The crash-test imaproot with this sandbox's config, SIGKILLing itself at <paramref name="point"/>.</summary>
    public ImaprootRun ImaprootKilledAt(string point, params string[] arguments) => Infrastructure.Imaproot.RunKilledAt(point, ConfigPath, arguments);

    /// <summary>The user's state as the state file says.</summary>
    public string StateOf(TestUser user) =>
        File.ReadAllLines(StatePath).Select(line => line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            .FirstOrDefault(fields => fields.Length >= 2 && fields[0] == user.Name)?[1]
        ?? throw new InvalidOperationException($"{StatePath}: no line for {user.Name}");

    /// <summary>The phase the user's conversion record names, or null without one.</summary>
    public string? JournalPhase(TestUser user) =>
        File.Exists(JournalPath(user))
            ? File.ReadAllLines(JournalPath(user)).Select(line => line.Split('\t')).First(fields => fields[0] == "phase")[1]
            : null;

    /// <summary>
    /// The user back to its first mail, migrated, with no conversion record: what a test before may
    /// have left (a copy, a record, a state) is removed. Every user of the state file goes back to
    /// migrated: start each test with this.
    /// </summary>
    public void Fresh(TestUser user)
    {
        if (File.Exists(JournalPath(user)))
            File.Delete(JournalPath(user));
        // By hand (set refuses a user left migrating), then set: it waits until Dovecot serves the
        // userdb written from the state file and flushes the auth cache.
        RestoreState();
        Imaproot("reindex").Succeeded();
        Imaproot("set", user.Name, "migrated", "--yes").Succeeded();
        foreach (string directory in Directory.GetDirectories(user.Home).Where(d => Path.GetFileName(d) is "IMAP" || Path.GetFileName(d).StartsWith("Maildir", StringComparison.Ordinal) || Path.GetFileName(d).StartsWith("mdbox", StringComparison.Ordinal)))
            Directory.Delete(directory, recursive: true);
        // The spool file stays: it is the user's (AddUser made it), and Fill rewrites its contents.
        Fill(user);
    }
}

/// <summary>On Debian 12's Dovecot 2.3.</summary>
public sealed class ConversionKillsDovecot23() : ConversionKillsDovecot(DovecotGeneration.V23);

/// <summary>On Debian 13's Dovecot 2.4.1.</summary>
public sealed class ConversionKillsDovecot24() : ConversionKillsDovecot(DovecotGeneration.V24);

/// <summary>On Debian forky's Dovecot 2.4.5.</summary>
public sealed class ConversionKillsDovecot245() : ConversionKillsDovecot(DovecotGeneration.V245);
