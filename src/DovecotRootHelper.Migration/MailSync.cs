using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DovecotRootHelper.Configuration;
using DovecotRootHelper.Dovecot;
using DovecotRootHelper.Locations;
using DovecotRootHelper.Posix;

namespace DovecotRootHelper.Migration;

/// <summary>
/// Dovecot's own <c>doveadm</c> run on one user's mail at locations imaproot names, never at the
/// location Dovecot's userdb would answer: a conversion's final sync runs while that userdb fails
/// the user temporarily (deliveries deferred), and a rollback reads the target while the state
/// says the target. So no userdb lookup is made: the user's uid, gid and home and both locations
/// are handed over as settings (2.3: no <c>-u</c>, the user in <c>USER</c>; 2.4:
/// <c>--no-userdb-lookup</c>, the destination's settings as <c>-p</c>), and doveadm still drops
/// to the user before it touches a file (docs/conversion-notes.md).
/// </summary>
internal sealed class MailSync(HelperConfig config)
{
    private readonly ConfiguredCommand _doveadm = new(config.Conversion.Doveadm, config.Conversion.SyncTimeout);

    private const int ChangedDuringSync = 2;

    private bool Is23 => config.Generation == DovecotGeneration.V23;

    /// <summary>
    /// <c>doveadm backup</c>: makes <paramref name="destination"/> hold exactly what
    /// <paramref name="source"/> holds (messages, flags, keywords, UIDs and UIDVALIDITY, mailboxes,
    /// subscriptions); incremental when run again. Throws <see cref="MigrationException"/> naming
    /// the command when doveadm fails.
    /// </summary>
    public TimeSpan Backup(UnixAccount account, MailLocation source, MailLocation destination)
    {
        var arguments = new List<string>(Source(account, source)) { "backup" };
        if (Is23)
        {
            arguments.Add(destination.ToDovecot23());
        }
        else
        {
            arguments.Add("--no-userdb-lookup");
            foreach (KeyValuePair<string, string> setting in config.Generation.UserdbFields(destination).Where(f => f.Key is not ("mail_driver" or "mail_path")))
                arguments.AddRange(["-p", $"{setting.Key}={setting.Value}"]);
            // Later 2.4 releases default dbox storage to keywords of their own on every message saved
            // ($HasAttachment, $HasNoAttachment): a copy keeps the user's keywords and only those.
            arguments.AddRange(["-p", "mail_attachment_detection_options="]);
            arguments.Add($"{destination.Driver}:{destination.Path}");
        }
        // doveadm backup from a location that is not there succeeds and empties the destination
        // (docs/conversion-notes.md): the mail being copied from must be where it is named.
        if (Sys.LinkStatusOrNull(source.Path) is not { IsDirectory: true })
            throw new MigrationException($"{account.Name}: {source.Path} is not a directory: no mail to copy from {Describe(source)}; nothing was copied");
        var clock = Stopwatch.StartNew();
        CommandRun run = Run(account, arguments);
        // 2: "changes during sync, run again": the user changed mail while it was copied. The copy
        // made is good as far as it goes; once more settles what changed.
        if (run is { Outcome: CommandOutcome.Exited, ExitCode: ChangedDuringSync })
            run = Run(account, arguments);
        Require(run, account, $"copying {Describe(source)} to {Describe(destination)}");
        return clock.Elapsed;
    }

    /// <summary>Every mailbox at <paramref name="location"/> as Dovecot counts it (<c>doveadm mailbox status</c>), and the subscriptions.</summary>
    public MailboxCensus Census(UnixAccount account, MailLocation location)
    {
        CommandRun counted = Require(Run(account, MailCommand(account, location, ["mailbox", "status"], "messages uidvalidity uidnext", "*")), account, $"counting the mailboxes of {Describe(location)}");
        CommandRun listed = Require(Run(account, MailCommand(account, location, ["mailbox", "list"], "-s")), account, $"listing the subscriptions of {Describe(location)}");
        return MailboxCensus.Parse(counted.Output, listed.Output, Describe(location));
    }

    /// <summary>Every message at <paramref name="location"/>: its mailbox, UID, GUID and size (<c>doveadm fetch</c>, from Dovecot's index).</summary>
    public IReadOnlyList<(string Mailbox, uint Uid, string Guid, long Size)> Guids(UnixAccount account, MailLocation location)
    {
        CommandRun run = Require(Run(account, MailCommand(account, location, ["fetch"], "mailbox uid guid size.physical", "all")), account, $"listing the messages of {Describe(location)}");
        var messages = new List<(string, uint, string, long)>();
        foreach (string line in run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            string[] fields = line.Split('\t');
            if (fields.Length != 4 || !uint.TryParse(fields[1], CultureInfo.InvariantCulture, out uint uid) || !long.TryParse(fields[3], CultureInfo.InvariantCulture, out long size))
                throw new MigrationException($"{account.Name}: doveadm fetch printed '{line}'");
            messages.Add((fields[0], uid, fields[2], size));
        }
        return messages;
    }

    /// <summary>A hash of one whole message as Dovecot gives it to clients.</summary>
    public string ContentHash(UnixAccount account, MailLocation location, string mailbox, uint uid)
    {
        CommandRun run = Require(Run(account, MailCommand(account, location, ["fetch"], "text", "mailbox", mailbox, "uid", uid.ToString(CultureInfo.InvariantCulture))), account, $"reading message {uid} of {mailbox}");
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(run.Output)));
    }

    // A doveadm mail command on the location, tab-formatted, with no userdb lookup (2.3: none is
    // made without -u; 2.4 must be told).
    private List<string> MailCommand(UnixAccount account, MailLocation location, string[] command, params string[] arguments)
    {
        List<string> words = [.. Source(account, location), "-f", "tab", .. command];
        if (!Is23)
            words.Add("--no-userdb-lookup");
        words.AddRange(arguments);
        return words;
    }

    /// <summary>A location as messages show it: the generation's own spelling.</summary>
    public string Describe(MailLocation location) =>
        Is23 ? location.ToDovecot23() : $"{location.Driver}:{location.Path}";

    // The user and the location doveadm works on, as global settings before the command's name.
    private List<string> Source(UnixAccount account, MailLocation location)
    {
        var arguments = new List<string>
        {
            "-o", $"mail_uid={account.Uid}", "-o", $"mail_gid={account.Gid}", "-o", $"mail_home={account.Home}",
        };
        if (Is23)
            arguments.AddRange(["-o", $"mail_location={location.ToDovecot23()}"]);
        else
        {
            foreach (KeyValuePair<string, string> setting in config.Generation.UserdbFields(location))
                arguments.AddRange(["-o", $"{setting.Key}={setting.Value}"]);
        }
        return arguments;
    }

    private CommandRun Run(UnixAccount account, IReadOnlyList<string> arguments) =>
        _doveadm.Run(arguments, new Dictionary<string, string> { ["USER"] = account.Name, ["HOME"] = account.Home });

    private static CommandRun Require(CommandRun run, UnixAccount account, string what) =>
        run.Failure() is { } failure ? throw new MigrationException($"{account.Name}: {what}: {failure}") : run;
}
