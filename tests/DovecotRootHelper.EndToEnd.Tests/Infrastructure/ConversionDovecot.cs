namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The all-services sandbox with two target locations, <c>maildir</c> (Maildir, fs layout) and
/// <c>mdbox</c>, and imaproot's <c>[conversion] doveadm</c> running this very Dovecot's doveadm.
/// Its users are migrated (their root is ~/IMAP, INBOX in the spool) with mbox mailboxes whose
/// messages quote a body line starting "From ", names in modified UTF-7 and a hierarchy.
/// </summary>
public abstract class ConversionDovecot : AllServicesSandbox
{
    /// <summary>Every mailbox besides INBOX, on-disk (modified UTF-7) name to message count.</summary>
    public static readonly IReadOnlyDictionary<string, int> Mailboxes = new Dictionary<string, int>
    {
        ["Archive"] = 3,
        ["Lists"] = 1,
        ["Entw&APw-rfe"] = 2,
        ["Projekte/2024/Q1"] = 2,
    };

    public static readonly string[] Subscribed = ["Archive", "Entw&APw-rfe", "Projekte/2024/Q1"];

    protected ConversionDovecot(DovecotGeneration generation)
        : base(generation, InitialState(generation), migratedFromUid: null)
    {
        try
        {
            File.AppendAllText(ConfigPath, $"""

                [locations]
                maildir = maildir:~/Maildir:LAYOUT=fs
                mdbox = mdbox:~/mdbox

                [conversion]
                doveadm = {DoveadmCommandLine}

                """);
            string home = Path.Combine(DovecotDirectory, "home");
            Alice = Account(generation.Account("drhall-cvalice"), generation.AccountUid(22171), home);
            Bob = Account(generation.Account("drhall-cvbob"), generation.AccountUid(22172), home);
            Carol = Account(generation.Account("drhall-cvcarol"), generation.AccountUid(22173), home);
            Dave = Account(generation.Account("drhall-cvdave"), generation.AccountUid(22174), home);
            Eve = Account(generation.Account("drhall-cveve"), generation.AccountUid(22175), home);
            foreach (TestUser user in new[] { Alice, Bob, Carol, Dave, Eve })
                Fill(user);
            // Notes written by hand: no Date, Message-ID or Received header, so Dovecot gives them one GUID.
            MailTree.AddFile(Dave, Path.Combine(Dave.Home, "IMAP"), "Notes",
                "From a@b Mon Jan  1 00:00:00 2024\nSubject: first note\n\none\n\nFrom a@b Mon Jan  1 00:00:00 2024\nSubject: second note\n\ntwo\n\n");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public TestUser Alice { get; }

    public TestUser Bob { get; }

    public TestUser Carol { get; }

    /// <summary>Converted by a schedule and run-due.</summary>
    public TestUser Eve { get; }

    /// <summary>Also has "Notes", two different messages without the headers an mbox GUID is made of.</summary>
    public TestUser Dave { get; }

    public string Spool(TestUser user) => Path.Combine(DovecotDirectory, "spool", user.Name);

    private static string InitialState(DovecotGeneration generation) =>
        "# dovecot-root-helper state file (conversion end-to-end tests)\n"
        + string.Concat(new[] { "drhall-cvalice", "drhall-cvbob", "drhall-cvcarol", "drhall-cvdave", "drhall-cveve" }.Select(name => $"{generation.Account(name)} migrated\n"));

    // Mail under ~/IMAP and in the spool; one body line starts "From " (quoted in the mbox as ">From ").
    private void Fill(TestUser user)
    {
        string root = Path.Combine(user.Home, "IMAP");
        foreach ((string name, int count) in Mailboxes)
            MailTree.AddFile(user, root, name, string.Concat(Enumerable.Range(1, count).Select(i => Message($"{name} {i} of {user.Name}"))));
        MailTree.AddFile(user, Path.Combine(DovecotDirectory, "spool"), user.Name, Message($"inbox 1 of {user.Name}") + Message($"inbox 2 of {user.Name}"));
    }

    private static string Message(string subject) =>
        $"From a@b Mon Jan  1 00:00:00 2024\nDate: Mon, 1 Jan 2024 00:00:00 +0000\nMessage-ID: <{subject.Replace(' ', '.')}@example.org>\nFrom: a@b\nSubject: {subject}\n\nbody of {subject}\n>From the start of a line\nend\n\n";
}

/// <summary>On Debian 12's Dovecot 2.3.</summary>
public sealed class ConversionDovecot23() : ConversionDovecot(DovecotGeneration.V23);

/// <summary>On Debian 13's Dovecot 2.4.1.</summary>
public sealed class ConversionDovecot24() : ConversionDovecot(DovecotGeneration.V24);

/// <summary>On Debian forky's Dovecot 2.4.5.</summary>
public sealed class ConversionDovecot245() : ConversionDovecot(DovecotGeneration.V245);
