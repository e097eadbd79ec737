
namespace DovecotRootHelper.Package.Tests;

/// <summary>
/// Removing and purging the installed package: removal warns while Dovecot's configuration still
/// names the hook; purge removes everything the package and imaproot made except what records where
/// people's mail is (a non-empty state file, the journals, the schedule), says so, and never
/// touches mail. It uninstalls the package, so <c>./build.sh test</c> runs it alone, after the rest
/// of the suite (Category=Purge).
/// </summary>
[Trait("Category", "Purge")]
public sealed class PurgeKeepsOnlyWhereMailIs : IDisposable
{
    private const string Migrated = "drhmig-purge1", Interrupted = "drhmig-purge2";
    private readonly TempDirectory _directory = new();
    private readonly string _config;
    private readonly string _dovecotInclude = "/etc/dovecot/drh-package-test.conf.ext";

    public PurgeKeepsOnlyWhereMailIs()
    {
        InstalledPackage.EnsureInstalled();
        File.SetUnixFileMode(_directory.Path, (UnixFileMode)0x1ED);
        // The shipped config, with the legacy location set (migrate needs it) and no Dovecot to ask.
        _config = Path.Combine(_directory.Path, "helper.conf");
        File.WriteAllText(_config, File.ReadAllText(InstalledPackage.Config)
            .Replace("#legacy = mbox:~/mail:INBOX=/var/mail/%u", "legacy = mbox:~:INBOX=/var/mail/%u", StringComparison.Ordinal)
            .Replace("doveconf = doveconf", "doveconf =", StringComparison.Ordinal)
            .Replace("kick = doveadm kick %u", "kick = /bin/true %u", StringComparison.Ordinal)
            .Replace("who = doveadm -f flow who -1 %u", "who = /bin/true %u", StringComparison.Ordinal)
            .Replace("flush = doveadm auth cache flush %u", "flush =", StringComparison.Ordinal)
            .Replace("logs = /var/log/dovecot.log*", $"logs = {_directory.Path}/dovecot.log", StringComparison.Ordinal));
    }

    [Fact]
    public void PurgeKeepsTheStateFileAndJournalsAndNeverTouchesMail()
    {
        TestUser migrated = HomeWithMail(Migrated, 22951);
        TestUser interrupted = HomeWithMail(Interrupted, 22952);
        Imaproot("migrate", Migrated, "--yes");
        // A migration killed after its journal was written: pending, with the user migrating. The
        // installed imaproot has no crash points: the build tree's crash-test build kills itself there.
        NativeRun killed = ImaprootRun(CrashBuild.Imaproot, new Dictionary<string, string> { [CrashBuild.Variable] = "after-journal" }, "migrate", Interrupted, "--yes");
        Assert.NotEqual(0, killed.ExitCode);
        Imaproot("schedule", "root", "--at", "2099-01-01T00:00");
        File.WriteAllText(Path.Combine(_directory.Path, "dovecot.log"), "");
        Imaproot("usage", "scan");
        string state = File.ReadAllText($"{InstalledPackage.StateDirectory}/state");
        Assert.Contains($"{Migrated}\tmigrated", state.Replace(' ', '\t'), StringComparison.Ordinal);
        Assert.Contains($"{Interrupted}\tmigrating", state.Replace(' ', '\t'), StringComparison.Ordinal);
        // What purge must remove is there to remove.
        foreach (string made in new[] { "state.lock", "state.index", "userdb", "userdb-unlisted.conf", "userdb-migrating", "userdb-refusal.conf", "usage.sqlite", "usage.sqlite.lock", "journal/schedule.lock", $"journal/{Migrated}.lock" })
            Assert.True(File.Exists(Path.Combine(InstalledPackage.StateDirectory, made)), $"{made} was not made");
        TreeSnapshot[] mail = [TreeSnapshot.Take(migrated.Home), TreeSnapshot.Take(interrupted.Home)];
        List<string> packaged = InstalledPackage.Files();

        // Removal while Dovecot still includes a snippet: a warning naming the file; nothing of the state goes.
        File.WriteAllText(_dovecotInclude, "!include /usr/share/dovecot-root-helper/dovecot-2.3-all-services.conf\n");
        NativeRun remove = InstalledPackage.AptGet("remove", InstalledPackage.Name);
        Assert.True(remove.ExitCode == 0, remove.Stderr);
        Assert.Contains($"dovecot-root-helper: warning: {_dovecotInclude} still names the login hook", remove.Stdout + remove.Stderr, StringComparison.Ordinal);
        Assert.Equal(state, File.ReadAllText($"{InstalledPackage.StateDirectory}/state"));
        Assert.True(File.Exists(InstalledPackage.Config), "removal keeps the conffile");

        NativeRun purge = InstalledPackage.AptGet("purge", InstalledPackage.Name);
        Assert.True(purge.ExitCode == 0, purge.Stderr);
        Assert.Contains($"dovecot-root-helper: kept {InstalledPackage.StateDirectory}", purge.Stdout + purge.Stderr, StringComparison.Ordinal);
        Assert.Contains($"users whose mailboxes were moved under their migrated root, or are being moved ({Migrated} migrated, {Interrupted} migrating)", purge.Stdout + purge.Stderr, StringComparison.Ordinal);
        Assert.Equal("", InstalledPackage.Query("${db:Status-Status}").Replace("not-installed", "", StringComparison.Ordinal));

        // Nothing the package shipped is left, except the directory that holds what was kept.
        Assert.DoesNotContain(packaged, p => p != InstalledPackage.StateDirectory && IsOurs(p) && Path.Exists(p));
        Assert.False(File.Exists(InstalledPackage.Config));
        // Of what imaproot made: only the state file and the journal directory's records.
        // (the completed migration's journal too: rollback needs it).
        Assert.Equal(
            $"journal journal/{Migrated}.journal journal/{Interrupted}.journal journal/schedule state",
            string.Join(' ', Directory.EnumerateFileSystemEntries(InstalledPackage.StateDirectory, "*", SearchOption.AllDirectories)
                .Select(p => Path.GetRelativePath(InstalledPackage.StateDirectory, p)).Order(StringComparer.Ordinal)));
        Assert.Equal(state, File.ReadAllText($"{InstalledPackage.StateDirectory}/state"));
        // Mail: not one byte, inode or mode changed by removing or purging.
        Assert.Equal(mail[0].Entries, TreeSnapshot.Take(migrated.Home).Entries);
        Assert.Equal(mail[1].Entries, TreeSnapshot.Take(interrupted.Home).Entries);
    }

    [Fact]
    public void PurgeWhereNoUserWasMigratedSaysNoMailWasMoved()
    {
        // A state file of legacy users and a schedule: kept, but no mail is anywhere but where it was.
        Imaproot("set", "root", "legacy");
        Imaproot("schedule", "root", "--at", "2099-01-01T00:00");

        NativeRun purge = InstalledPackage.AptGet("purge", InstalledPackage.Name);
        Assert.True(purge.ExitCode == 0, purge.Stderr);
        string said = purge.Stdout + purge.Stderr;
        Assert.Contains($"dovecot-root-helper: kept {InstalledPackage.StateDirectory}: it lists no migrated or migrating user (no mail was moved)", said, StringComparison.Ordinal);
        Assert.DoesNotContain("mailboxes were moved", said, StringComparison.Ordinal);
        Assert.DoesNotContain("~/IMAP", said, StringComparison.Ordinal);
        Assert.Equal("", InstalledPackage.Query("${db:Status-Status}").Replace("not-installed", "", StringComparison.Ordinal));
        Assert.True(File.Exists($"{InstalledPackage.StateDirectory}/state"));
    }

    /// <summary>The package's own paths: not the shared directories (/usr, /usr/share/man, ...) it installs into.</summary>
    private static bool IsOurs(string path) =>
        path.Contains("dovecot-root-helper", StringComparison.Ordinal) || path.Contains("imaproot", StringComparison.Ordinal);

    private TestUser HomeWithMail(string name, int uid)
    {
        string home = Path.Combine(_directory.Path, name);
        TestUser user = UnixTestAccount.Ensure(name, uid, home);
        Directory.CreateDirectory(Path.Combine(home, "mail"));
        File.WriteAllText(Path.Combine(home, "Archive"), "From a@b Sat Jan  1 00:00:00 2000\nSubject: kept\n\nkept\n");
        File.WriteAllText(Path.Combine(home, "mail", "Sent"), "From a@b Sat Jan  1 00:00:00 2000\nSubject: sent\n\nsent\n");
        File.WriteAllText(Path.Combine(home, ".subscriptions"), "V\t2\n\nArchive\nmail\tSent\n");
        Command.Run("chown", ["-R", $"{uid}:{uid}", home]);
        return user;
    }

    private void Imaproot(params string[] arguments)
    {
        NativeRun run = ImaprootRun("/usr/sbin/imaproot", null, arguments);
        Assert.True(run.ExitCode == 0, $"imaproot {string.Join(' ', arguments)} exited {run.ExitCode}: {run.Stderr}");
    }

    private NativeRun ImaprootRun(string binary, Dictionary<string, string>? extra, params string[] arguments)
    {
        var environment = new Dictionary<string, string> { ["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin" };
        foreach (KeyValuePair<string, string> pair in extra ?? [])
            environment[pair.Key] = pair.Value;
        return NativeProcess.Run(binary, ["--config", _config, .. arguments], environment);
    }

    public void Dispose()
    {
        File.Delete(_dovecotInclude);
        UnixTestAccount.Remove(Migrated);
        UnixTestAccount.Remove(Interrupted);
        // What purge rightly kept is this test's own: the machine's state file was empty before.
        if (Directory.Exists(InstalledPackage.StateDirectory))
            Directory.Delete(InstalledPackage.StateDirectory, recursive: true);
        _directory.Dispose();
    }
}
