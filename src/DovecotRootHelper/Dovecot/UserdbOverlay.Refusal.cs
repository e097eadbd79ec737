using System.Text;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Dovecot;

/// <summary>
/// The passdb half of the all-services setup: a user being migrated who gives the right password is
/// refused at authentication with <see cref="RefusalReason"/>, so every IMAP and POP3 attempt reads
/// why. The userdb's temporary failure alone reaches IMAP clients only sometimes: Dovecot's login
/// process shuts the socket down while imap writes its <c>NO [UNAVAILABLE]</c> (ARCHITECTURE.md).
/// Two files beside the userdb:
/// <list type="bullet">
/// <item><c>-migrating</c>: the users being migrated. 2.3: a dict file (key and value lines) for a
/// dict passdb, since 2.3 has no other way to carry a reason with blanks; 2.4: a passwd-file.</item>
/// <item><c>-refusal.conf</c>: where that list is and the fields a listed user's login gets
/// (<c>reason</c>, <c>nodelay</c>). 2.3: the dict passdb's own config; 2.4: an include for the
/// passdb section. Read when Dovecot starts or reloads.</item>
/// </list>
/// The snippet chains that passdb after the site's own, with <c>skip = unauthenticated</c> and
/// <c>result_success = return-fail</c>: only a user whose password the site's passdb accepted
/// (which must say <c>result_success = continue-ok</c>) learns the reason, everyone else is untouched.
/// </summary>
public sealed partial class UserdbOverlay
{
    /// <summary>What an IMAP or POP3 client of a migrating user reads after giving the right password.</summary>
    public const string RefusalReason = "Mailboxes are being moved, please try again in a few minutes";

    // Under the "shared/" prefix 2.3's dict passdb puts before every key.
    private const string DictKeyPrefix = "dovecot-root-helper/migrating/";

    /// <summary>The list of users being migrated, for the refusal passdb.</summary>
    public string MigratingPath => MigratingPathFor(Path);

    /// <summary>The refusal passdb's settings.</summary>
    public string RefusalPath => RefusalPathFor(Path);

    public static string MigratingPathFor(string path) => path + "-migrating";

    public static string RefusalPathFor(string path) => path + "-refusal.conf";

    /// <summary>The users being migrated, one entry each, in the configured generation's format.</summary>
    public byte[] BuildMigrating(StateFileContents contents)
    {
        bool dict = _config.Generation == DovecotGeneration.V23;
        var list = new MemoryStream();
        // A dict file has no comments: every line is a key or a value.
        if (!dict)
            list.Write(Encoding.UTF8.GetBytes($"# Written by imaproot from {contents.Path}: the users being migrated. Do not edit.\n"));
        byte[] before = dict ? Encoding.UTF8.GetBytes("shared/" + DictKeyPrefix) : [];
        // UserName's rule keeps tabs and line breaks (a dict file's escapes) and ':' out of every name.
        byte[] after = dict ? "\nyes\n"u8.ToArray() : ":::::::\n"u8.ToArray();
        foreach (StateLine line in contents.Lines)
        {
            if (line.StateWith(contents.Targets) != UserState.Migrating)
                continue;
            list.Write(before);
            list.Write(contents.UserOf(line));
            list.Write(after);
        }
        return list.ToArray();
    }

    /// <summary>The refusal passdb's settings: where the list is, and what a listed user's login gets.</summary>
    public string BuildRefusal()
    {
        string header = $"# Written by imaproot from {_config.Path}: the passdb that refuses users being migrated,\n"
            + "# named by the all-services snippet. Do not edit.\n";
        if (_config.Generation == DovecotGeneration.V23)
        {
            // imap-login and pop3-login send a reason that starts with '[' as it is, so the reason
            // carries each protocol's code for a temporary failure (src/*-login/client-authenticate.c).
            return header
                + $"uri = file:{MigratingPath}\n"
                + "key migrating {\n"
                + $"  key = {DictKeyPrefix}%u\n"
                + "}\n"
                + "passdb_fields {\n"
                + "  nodelay = %{dict:migrating}\n"
                + $"  reason = %{{if;%s;eq;pop3;[SYS/TEMP];[UNAVAILABLE]}} {RefusalReason}\n"
                + "}\n";
        }
        return header
            + $"passwd_file_path = {MigratingPath}\n"
            + "fields {\n"
            + "  nodelay = yes\n"
            + $"  reason = %{{protocol | if('eq', 'pop3', '[SYS/TEMP]', '[UNAVAILABLE]')}} {RefusalReason}\n"
            + "}\n";
    }
}
