using DovecotRootHelper.Configuration;
using DovecotRootHelper.Decision;
using DovecotRootHelper.Locations;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Migration;

/// <summary>
/// The conversion's dry run: which location the user has now (as the state decides it) and which
/// the target gives, Dovecot's own count of the mailboxes there, the subscriptions checked against
/// them, and the space the copy needs. Touches nothing; doveadm only reads.
/// </summary>
internal sealed class ConversionPlanner(HelperConfig config, UserStates states, MailSync sync)
{
    // What a POP3 UIDL may be made of and stay the same in the copy: the UID and UIDVALIDITY
    // (and a header the message carries), never the storage's own file name, GUID or MD5.
    private static readonly string[] UnstableUidlParts = ["%m", "%g", "%f", "%{md5}", "%{guid}", "%{filename}", "%M", "%G", "%F"];

    // POP3 clients must not download everything again: the site's pop3_uidl_format decides.
    private void Pop3Uidls(List<string> conflicts, List<string> notes)
    {
        var doveconf = new ConfiguredCommand(config.DoveconfCommand, Doveconf.Timeout);
        if (!doveconf.IsConfigured)
        {
            notes.Add("[dovecot] doveconf is empty: pop3_uidl_format is not checked");
            return;
        }
        CommandRun run = doveconf.WithArguments("-h pop3_uidl_format").Run("");
        if (!run.Succeeded)
        {
            notes.Add($"pop3_uidl_format not checked ({run.Failure(FailureWording.Warning)})");
            return;
        }
        string format = run.Output.Trim();
        if (UnstableUidlParts.FirstOrDefault(part => format.Contains(part, StringComparison.Ordinal)) is { } part)
            conflicts.Add($"pop3_uidl_format = {format} uses {part}, which the copy does not keep: every POP3 client would download all mail again");
    }

    // A message file of a maildir takes at least a block; dbox files and indexes add about a tenth.
    private const long BlockBytes = 4096;

    public ConversionPlan Plan(UnixAccount account, string target)
    {
        LocationTemplate template = config.Targets.Template(target)
            ?? throw MigrationException.Refusal($"{account.Name}: no target '{target}' in [locations] of {config.Path} (targets: {(config.Targets.Count == 0 ? "none" : string.Join(", ", config.Targets.Names))})");
        RootDecision decision = states.Decide(account);
        MailLocation destination = Expand(template, account, $"[locations] {target}");
        var conflicts = new List<string>();
        var notes = new List<string>();
        MailLocation? source = decision.Location;
        if (decision.State == UserState.Migrating)
            conflicts.Add($"{account.Name} is migrating ({decision.Why}): imaproot resume or rollback first");
        else if (decision.State == UserState.AtTarget(target))
            conflicts.Add($"{account.Name} is already at {target} ({decision.Why})");
        else if (source is null)
            conflicts.Add($"{account.Name} is {decision.State.Name} with Dovecot's own location ([locations] legacy is unset): imaproot cannot name the mail to copy; set [locations] legacy");
        if (config.UserdbFile is null && config.Backend == StateBackend.File)
            conflicts.Add($"{config.Path}: [state] userdb is unset: without the all-services setup deliveries and Sieve keep the old location after the conversion (README.Debian, all services)");
        if (source is not null && conflicts.Count == 0)
            Compare(account, source, destination, conflicts);
        if (conflicts.Count == 0)
            Pop3Uidls(conflicts, notes);
        MailboxCensus? census = null;
        long bytes = 0;
        long needed = 0;
        long available = 0;
        if (conflicts.Count == 0 && source is not null)
        {
            census = sync.Census(account, source);
            bytes = SizeOf(source, census, notes);
            needed = destination.Driver == "maildir" ? bytes + (census.Messages * BlockBytes) : bytes + (bytes / 10);
            needed += 16 * 1024 * 1024;
            string existing = NearestExisting(destination.Path);
            available = Sys.AvailableBytes(existing);
            if (available < needed)
                conflicts.Add($"{destination.Path}: the copy needs about {Mib(needed)} MiB, and {existing}'s file system has {Mib(available)} MiB available");
            if (source.Driver == "mbox" && SharedGuids(account, source) is { } shared)
                conflicts.Add(shared);
            foreach (string absent in census.Subscribed.Where(s => !census.Mailboxes.ContainsKey(s)).Order(StringComparer.Ordinal))
                notes.Add($"subscribed but not a mailbox: {absent} (the subscription is copied as it is)");
        }
        return new ConversionPlan(account.Name, decision.State, target, source, destination, census, bytes, needed, available, conflicts, notes);
    }

    // The most messages sharing a GUID whose contents are compared one by one.
    private const int SharedGuidsChecked = 500;

    // dsync tells messages apart by GUID; an mbox message's is a hash of a few headers (Date,
    // Message-ID, Received, Delivered-To, X-Delivery-ID), so messages without them share one, and
    // dsync then copies one's content under the other's UID with exit 0 (docs/conversion-notes.md).
    // Copies of one message share a GUID harmlessly; messages that share one and differ do not.
    private string? SharedGuids(UnixAccount account, MailLocation source)
    {
        List<IGrouping<string, (string Mailbox, uint Uid, string Guid, long Size)>> groups =
            [.. sync.Guids(account, source).GroupBy(m => m.Guid).Where(g => g.Count() > 1)];
        var differing = groups.Where(g => g.Select(m => m.Size).Distinct().Count() > 1).ToList();
        int toRead = groups.Except(differing).Sum(g => g.Count());
        if (differing.Count == 0 && toRead > SharedGuidsChecked)
            return $"{toRead} messages share GUIDs with other messages, more than the {SharedGuidsChecked} imaproot compares one by one: doveadm backup could copy one's content under another's UID";
        if (differing.Count == 0)
        {
            differing = [.. groups.Where(g => g.Select(m => sync.ContentHash(account, source, m.Mailbox, m.Uid)).Distinct().Count() > 1)];
        }
        if (differing.Count == 0)
            return null;
        var first = differing[0].ToList();
        return $"{differing.Sum(g => g.Count())} messages share a GUID with a different message (for example {first[0].Mailbox} UID {first[0].Uid} and {first[1].Mailbox} UID {first[1].Uid}: no Date, Message-ID or Received header): doveadm backup would copy one's content under the other's UID";
    }

    /// <summary>Throws the plan's first conflict as a refusal (nothing touched).</summary>
    public static void RequireExecutable(ConversionPlan plan)
    {
        if (!plan.IsExecutable)
            throw MigrationException.Refusal(plan.Conflicts[0].StartsWith(plan.User, StringComparison.Ordinal) ? plan.Conflicts[0] : $"{plan.User}: {plan.Conflicts[0]}");
    }

    private static MailLocation Expand(LocationTemplate template, UnixAccount account, string where)
    {
        try
        {
            return template.Expand(account.Name, account.Home);
        }
        catch (LocationException e)
        {
            throw MigrationException.Refusal($"{account.Name}: {where}: {e.Message}");
        }
    }

    // The copy goes beside the old mail, never into it: Dovecot would list the copy's files as
    // mailboxes of the old root (and the old root's, of the new). A root that is the whole home
    // holds everything: the root move comes first.
    private static void Compare(UnixAccount account, MailLocation source, MailLocation destination, List<string> conflicts)
    {
        string home = Normal(account.Home);
        string from = Normal(source.Path);
        string to = Normal(destination.Path);
        if (from == home)
            conflicts.Add($"{account.Name}'s mail root is the whole home {home}: move the root first (imaproot migrate), then convert");
        else if (Within(to, from) || Within(from, to))
            conflicts.Add($"{account.Name}: the target {to} and the mail root {from} overlap: give the target a location beside the root");
        else if (Sys.LinkStatusOrNull(to) is { } existing && (!existing.IsDirectory || Directory.EnumerateFileSystemEntries(to).Any()))
            conflicts.Add($"{account.Name}: {to} already exists: not a copy this conversion made; move it away first");
    }

    // The bytes Dovecot has to read: the root's files and the INBOX where it lies outside the root.
    private static long SizeOf(MailLocation source, MailboxCensus census, List<string> notes)
    {
        long bytes = Files(source.Path);
        if (source.Parameter("INBOX") is { } inbox && !Within(Normal(inbox), Normal(source.Path)) && Sys.LinkStatusOrNull(inbox) is { IsRegularFile: true } status)
            bytes += status.Size;
        if (census.Mailboxes.Count == 0)
            notes.Add("Dovecot counts no mailbox at the old location");
        return bytes;
    }

    private static long Files(string root)
    {
        if (Sys.LinkStatusOrNull(root) is not { IsDirectory: true })
            return 0;
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        return new DirectoryInfo(root).EnumerateFiles("*", options).Sum(f => f.Length);
    }

    private static string NearestExisting(string path)
    {
        string current = Normal(path);
        while (current != "/" && Sys.LinkStatusOrNull(current) is not { IsDirectory: true })
            current = Path.GetDirectoryName(current) ?? "/";
        return current;
    }

    private static string Normal(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));

    private static bool Within(string path, string root) => path == root || MigrationLayout.IsBelow(path, root, out _);

    private static long Mib(long bytes) => (bytes + (1 << 20) - 1) >> 20;
}
