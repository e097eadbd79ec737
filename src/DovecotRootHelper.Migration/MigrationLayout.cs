using DovecotRootHelper.Locations;

namespace DovecotRootHelper.Migration;

/// <summary>
/// Where one user's legacy and migrated mbox roots are, relative to the home ("" is the home
/// itself), checked to lie inside the home; and the index and control trees when the locations set
/// INDEX= and CONTROL= (absolute, possibly outside the home). Only what the moves need; the driver
/// is kept so that Maildir can be added without changing the plan types.
/// </summary>
/// <remarks>
/// Dovecot names an mbox's index directory after the mailbox, not the root: with INDEX=DIR the
/// index of mail/Archive is DIR/mail/.imap/Archive and the root's is DIR/.imap, and with CONTROL=DIR
/// the subscriptions file is DIR/.subscriptions (lib-storage/index/mbox/mbox-storage.c,
/// mbox_list_get_path; seen on 2.3.19 and 2.4.1). The migration keeps every name, so with the same
/// INDEX= and CONTROL= on both sides nothing in those trees moves: that is the layout supported.
/// Different trees on the two sides would move indexes between trees, perhaps across filesystems,
/// which rename cannot do; they are refused with the reason.
/// </remarks>
internal sealed record MigrationLayout(string Driver, string Home, string LegacyRoot, string MigratedRoot, string SubscriptionsName, string? InboxInLegacyRoot)
{
    /// <summary>The index tree both locations share (INDEX=), absolute; null when indexes live in the roots.</summary>
    public string? IndexRoot { get; init; }

    /// <summary>The control tree both locations share (CONTROL=), absolute, holding the subscriptions file; null when it is the root.</summary>
    public string? ControlRoot { get; init; }

    public static MigrationLayout Resolve(string user, string home, MailLocation legacy, MailLocation migrated)
    {
        RefuseDriver(user, home, legacy, migrated);
        string? indexRoot = SharedTree(user, legacy, migrated, "INDEX", "index directories");
        string? controlRoot = SharedTree(user, legacy, migrated, "CONTROL", "subscriptions file");
        string legacyRoot = Inside(user, home, legacy.Path, "legacy root");
        string migratedRoot = Inside(user, home, migrated.Path, "migrated root");
        if (migratedRoot.Length == 0 || migratedRoot == legacyRoot)
            throw new MigrationException($"{user}: the migrated root {migrated.Path} must be a directory below the home, other than the legacy root");
        if (IsBelow("/" + legacyRoot, "/" + migratedRoot, out _))
            throw new MigrationException($"{user}: the legacy root {legacy.Path} lies inside the migrated root {migrated.Path}");
        string legacySubscriptions = legacy.Parameter("SUBSCRIPTIONS") ?? SubscriptionsFile.DefaultName;
        string migratedSubscriptions = migrated.Parameter("SUBSCRIPTIONS") ?? SubscriptionsFile.DefaultName;
        if (legacySubscriptions != migratedSubscriptions || legacySubscriptions.Contains('/', StringComparison.Ordinal))
            throw new MigrationException($"{user}: SUBSCRIPTIONS differs between the locations or is not a plain file name");
        string? inbox = legacy.Parameter("INBOX");
        string? inboxInRoot = null;
        if (inbox is not null && IsBelow(System.IO.Path.GetFullPath(inbox), System.IO.Path.GetFullPath(legacy.Path), out string rel))
            inboxInRoot = rel;
        return new MigrationLayout("mbox", home, legacyRoot, migratedRoot, legacySubscriptions, inboxInRoot) { IndexRoot = indexRoot, ControlRoot = controlRoot };
    }

    /// <summary>The INDEX= or CONTROL= both locations set, or null when neither does; refused when they differ.</summary>
    private static string? SharedTree(string user, MailLocation legacy, MailLocation migrated, string key, string what)
    {
        string? from = legacy.Parameter(key);
        string? to = migrated.Parameter(key);
        if (from is null && to is null)
            return null;
        if (from is null || to is null
            || System.IO.Path.GetFullPath(from).TrimEnd('/') != System.IO.Path.GetFullPath(to).TrimEnd('/'))
        {
            throw new MigrationException($"{user}: {key}= differs between the locations (legacy {from ?? "unset"}, migrated {to ?? "unset"}): "
                + $"the {what} would have to move to another tree, which imaproot does not do; give both locations the same {key}= (Dovecot names them after the mailboxes, which do not change, so nothing there moves)");
        }
        return System.IO.Path.GetFullPath(from).TrimEnd('/') is "" ? "/" : System.IO.Path.GetFullPath(from).TrimEnd('/');
    }

    /// <summary>
    /// Only mbox mailboxes move. Why anything else does not, in one line: a Maildir or dbox root is a
    /// directory of its own, so Dovecot never walks the home and there is nothing to fix; a Maildir
    /// rooted at the home does have the problem, but its folders are not what this moves.
    /// </summary>
    private static void RefuseDriver(string user, string home, MailLocation legacy, MailLocation migrated)
    {
        string written = $"{legacy.Driver}:{legacy.Path}";
        bool atHome = System.IO.Path.GetFullPath(legacy.Path).TrimEnd('/') == System.IO.Path.GetFullPath(home).TrimEnd('/');
        if (legacy.Driver == "maildir" && atHome)
            throw new MigrationException($"{user}: the legacy location {written} is a Maildir rooted at the home: Dovecot does walk the home there, but imaproot moves only mbox mailboxes, not Maildir folders; not migrated");
        if (legacy.Driver == "maildir")
            throw new MigrationException($"{user}: the legacy location {written} is a Maildir, whose root is {legacy.Path}, not the home: Dovecot never walks the home, so there is nothing to migrate");
        if (legacy.Driver != "mbox")
            throw new MigrationException($"{user}: the legacy location {written} is {legacy.Driver}, whose root is a directory of its own, not the home: there is nothing to migrate");
        if (migrated.Driver != "mbox")
            throw new MigrationException($"{user}: the migrated location is {migrated.Driver}:{migrated.Path}, but the mailboxes are mbox files and moving them does not convert them: make [locations] migrated an mbox: location");
    }

    /// <summary>A mailbox name's path relative to the home on the legacy side.</summary>
    public string Legacy(string name) => Join(LegacyRoot, name);

    /// <summary>The same name on the migrated side.</summary>
    public string Migrated(string name) => Join(MigratedRoot, name);

    /// <summary>The first component of the migrated root below the legacy root: no mailbox may carry that name.</summary>
    public string? ReservedName =>
        IsBelow("/" + MigratedRoot, "/" + LegacyRoot, out string rel) ? rel.Split('/')[0] : null;

    public static string Join(string a, string b) => a.Length == 0 ? b : b.Length == 0 ? a : a + "/" + b;

    private static string Inside(string user, string home, string path, string what)
    {
        string full = System.IO.Path.GetFullPath(path);
        string fullHome = System.IO.Path.GetFullPath(home).TrimEnd('/');
        if (full.TrimEnd('/') == fullHome)
            return "";
        if (IsBelow(full, fullHome, out string rel))
            return rel;
        throw new MigrationException($"{user}: the {what} {path} is not inside the home {home}");
    }

    /// <summary>Whether <paramref name="path"/> lies strictly below <paramref name="directory"/> (both absolute), and where relative to it.</summary>
    internal static bool IsBelow(string path, string directory, out string relative)
    {
        string d = directory.TrimEnd('/');
        string p = path.TrimEnd('/');
        if (p.StartsWith(d + "/", StringComparison.Ordinal))
        {
            relative = p[(d.Length + 1)..];
            return true;
        }
        relative = "";
        return false;
    }
}
