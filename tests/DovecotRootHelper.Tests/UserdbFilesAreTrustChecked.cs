using System.Text;
using DovecotRootHelper.Configuration;
using DovecotRootHelper.Dovecot;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Tests;

/// <summary>
/// Issue 19, item 5: the all-services userdb files were written wherever <c>[state] userdb</c>
/// pointed, owned by whoever owned the file there before. A user who could create a file in that
/// directory got both files for their own, then added <c>driver = checkpassword</c> to the include
/// and ran a program as Dovecot. Now their directory must pass the state file's directory rule and
/// imaproot writes them as itself, never copying a planted owner.
/// </summary>
public sealed class UserdbFilesAreTrustChecked : IDisposable
{
    private const uint Stranger = 23456;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string StatePath => Path.Combine(_dir.Path, "state");

    private HelperConfig Config(string userdb) =>
        HelperConfig.Parse(Encoding.UTF8.GetBytes($"""
            [locations]
            legacy = mbox:~:INBOX=/var/mail/%u
            [state]
            file = {StatePath}
            userdb = {userdb}
            """), "/etc/drh.conf");

    private static void Plant(string path, string contents)
    {
        File.WriteAllText(path, contents);
        File.SetUnixFileMode(path, TempDirectory.UserReadWriteOthersRead);
        Assert.Equal(0, Mono.Unix.Native.Syscall.chown(path, Stranger, Stranger));
    }

    [Fact]
    public void AUserdbDirectoryOthersCanWriteIsRefusedBeforeAnythingIsWritten()
    {
        string shared = Directory.CreateDirectory(Path.Combine(_dir.Path, "shared")).FullName;
        File.SetUnixFileMode(shared, (UnixFileMode)0x3FF); // 01777, as /tmp
        string userdb = Path.Combine(shared, "userdb");
        Plant(userdb, "planted\n");
        Plant(UserdbOverlay.UnlistedPathFor(userdb), "planted\n");
        File.WriteAllText(StatePath, "alice legacy\n");
        HelperConfig config = Config(userdb);

        StateFileException e;
        using (StateFileWriter writer = StateFileWriter.Lock(StatePath, UserdbOverlay.For(config)))
            e = Assert.Throws<StateFileException>(() => writer.Publish("alice migrated\n"u8));

        Assert.StartsWith($"{shared}: refused: mode 1777 lets others than its owner write it; the directory of [state] userdb must be", e.Message, StringComparison.Ordinal);
        Assert.Equal("alice legacy\n", File.ReadAllText(StatePath));
        Assert.Equal("planted\n", File.ReadAllText(userdb));
        Assert.Equal(Stranger, Sys.LinkStatusOrNull(userdb)!.Value.Uid);
        Assert.Contains(UserdbOverlay.For(config)!.Disagreements(StateFileReader.ReadAll(StatePath)), d => d.StartsWith($"{shared}: refused", StringComparison.Ordinal));
    }

    [Fact]
    public void FilesOfAnotherOwnerAreReplacedByImaprootsOwn()
    {
        string userdb = Path.Combine(_dir.Path, "userdb");
        HelperConfig config = Config(userdb);
        UserdbOverlay overlay = UserdbOverlay.For(config)!;
        // The include as imaproot would write it, so that only its owner differs.
        Plant(UserdbOverlay.UnlistedPathFor(userdb), overlay.BuildUnlisted());
        Plant(userdb, "alice:::::::userdb_mail=mbox:~:INBOX=/var/mail/%u\n");
        File.WriteAllText(StatePath, "alice legacy\n");
        Assert.Contains(overlay.Disagreements(StateFileReader.ReadAll(StatePath)), d => d.Contains($"owned by uid {Stranger}", StringComparison.Ordinal));

        using (StateFileWriter writer = StateFileWriter.Lock(StatePath, overlay))
            writer.Publish("alice migrated\n"u8);

        foreach (string written in (string[])[userdb, UserdbOverlay.UnlistedPathFor(userdb)])
        {
            FileStatus status = Sys.LinkStatusOrNull(written)!.Value;
            Assert.Equal((Sys.EffectiveUid, 0x1A4u), (status.Uid, status.Permissions));
        }
        Assert.Contains("alice:::::::userdb_mail=mbox:~/IMAP:INBOX=/var/mail/%u", File.ReadAllText(userdb), StringComparison.Ordinal);
        Assert.Empty(overlay.Disagreements(StateFileReader.ReadAll(StatePath)));
    }
}
