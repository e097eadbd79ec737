using System.Globalization;
using System.Text;
using DovecotRootHelper.Locations;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Migration;

/// <summary>
/// A conversion's record, <c>journal-dir/USER.conversion</c>: who (user, uid, gid, home), from
/// which state to which target, and the phase reached. Rewritten whole and atomically at each
/// phase (root-owned, 0600, fsynced), so a conversion killed anywhere is resumed or rolled back
/// from it; kept after the flip until <c>imaproot finalize</c> removes the old mail, or a rollback
/// ends. Refused unless it passes <see cref="TrustedFile"/>'s rule and describes the account as it is now.
/// </summary>
public sealed class ConversionJournal
{
    private const string Magic = "imaproot-conversion 1";
    private const int MaxSize = 64 * 1024;

    private ConversionJournal(string path, string user, uint uid, uint gid, string home, UserState from, string to, ConversionPhase phase)
    {
        Path = path;
        User = user;
        Uid = uid;
        Gid = gid;
        Home = home;
        From = from;
        To = to;
        Phase = phase;
    }

    public string Path { get; }

    public string User { get; }

    public uint Uid { get; }

    public uint Gid { get; }

    public string Home { get; }

    /// <summary>The state the user had before: where the old mail is.</summary>
    public UserState From { get; }

    /// <summary>The target's name.</summary>
    public string To { get; }

    public ConversionPhase Phase { get; private set; }

    public static string PathFor(string directory, string user) => System.IO.Path.Combine(directory, user + ".conversion");

    /// <summary>Starts the record of a conversion of <paramref name="account"/> from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static ConversionJournal Create(string directory, UnixAccount account, UserState from, string to)
    {
        ArgumentNullException.ThrowIfNull(account);
        Journal.EnsureDirectory(directory);
        var journal = new ConversionJournal(PathFor(directory, account.Name), account.Name, account.Uid, account.Gid, Journal.HomeOf(account), from, to, ConversionPhase.PreSync);
        journal.Save();
        return journal;
    }

    /// <summary>The user's conversion record, or null when there is none.</summary>
    /// <exception cref="JournalException">The directory or file is refused, or the file is no conversion record.</exception>
    public static ConversionJournal? Open(string directory, string user, TargetLocations targets)
    {
        string path = PathFor(directory, user);
        return Journal.ReadRecord(directory, path, MaxSize) is { } text ? Parse(path, text, targets) : null;
    }

    /// <summary>Refuses a record written for another user, uid, gid or home than the account has now.</summary>
    public void RequireDescribes(UnixAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (User == account.Name && Uid == account.Uid && Gid == account.Gid && Home == Journal.HomeOf(account))
            return;
        throw new JournalException($"{Path}: refused: written for user {User} uid {Uid} gid {Gid} home {Home}, "
            + $"but the account database has user {account.Name} uid {account.Uid} gid {account.Gid} home {Journal.HomeOf(account)}");
    }

    /// <summary>Records <paramref name="phase"/> durably before its work starts.</summary>
    public void RecordPhase(ConversionPhase phase)
    {
        Phase = phase;
        Save();
    }

    /// <summary>The conversion or its rollback is over: the record goes.</summary>
    public void Remove()
    {
        Sys.UnlinkIfExists(Path);
        Sys.SyncDirectory(System.IO.Path.GetDirectoryName(Path) ?? "/");
    }

    private void Save()
    {
        string text = string.Create(CultureInfo.InvariantCulture,
            $"{Magic}\nuser\t{User}\t{Uid}\t{Gid}\t{Home}\nfrom\t{From.Name}\nto\t{To}\nphase\t{Name(Phase)}\t{UtcTimestamp.Now()}\n");
        Sys.ReplaceFile(Path, Encoding.UTF8.GetBytes(text), FileModes.UserReadWrite);
    }

    private static ConversionJournal Parse(string path, string text, TargetLocations targets)
    {
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string[]? Field(string name) => lines.Select(l => l.Split('\t')).FirstOrDefault(f => f[0] == name);
        JournalException Bad(string what) => new($"{path}: not a conversion record: {what}");
        if (lines.Length == 0 || lines[0] != Magic)
            throw Bad($"the first line is not '{Magic}'");
        string[] user = Field("user") is { Length: 5 } u ? u : throw Bad("no user line");
        if (!uint.TryParse(user[2], NumberStyles.None, CultureInfo.InvariantCulture, out uint uid)
            || !uint.TryParse(user[3], NumberStyles.None, CultureInfo.InvariantCulture, out uint gid))
            throw Bad("the user line's uid or gid is not a number");
        UserState from = Field("from") is { Length: 2 } f && UserState.TryParse(f[1], targets, out UserState state) && state != UserState.Migrating
            ? state : throw Bad("no from line naming legacy, migrated or a target of [locations]");
        string to = Field("to") is { Length: 2 } t && targets.Template(t[1]) is not null ? t[1] : throw Bad("no to line naming a target of [locations]");
        ConversionPhase phase = Field("phase") is { Length: >= 2 } p && PhaseNamed(p[1]) is { } named ? named : throw Bad("no phase line");
        return new ConversionJournal(path, user[1], uid, gid, user[4], from, to, phase);
    }

    /// <summary>The phase as the record and messages spell it.</summary>
    public static string Name(ConversionPhase phase) => phase switch
    {
        ConversionPhase.PreSync => "pre-sync",
        ConversionPhase.CutOver => "cut-over",
        ConversionPhase.Converted => "converted",
        ConversionPhase.RollingBack => "rolling-back",
        _ => throw new ArgumentOutOfRangeException(nameof(phase)),
    };

    private static ConversionPhase? PhaseNamed(string name) =>
        Enum.GetValues<ConversionPhase>().Select(p => (ConversionPhase?)p).FirstOrDefault(p => Name(p!.Value) == name);

}
