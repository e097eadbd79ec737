namespace DovecotRootHelper.Cli.Tests;

public class LogFilesAreReadOldestFirst
{
    [Fact]
    public void RotatedNumbersThenDatesThenTheLiveFile()
    {
        using var dir = new TempDirectory();
        foreach (string name in new[] { "dovecot.log", "dovecot.log.1", "dovecot.log.2.gz", "dovecot.log.10.gz", "mail.log-20261128.gz", "mail.log-20261127.gz", "mail.log" })
            dir.Write(name, "x\n");
        // The compressed file is the newest by mtime, yet the oldest by name.
        File.SetLastWriteTimeUtc(Path.Combine(dir.Path, "dovecot.log.10.gz"), DateTime.UtcNow.AddHours(1));
        IReadOnlyList<string> files = LogFiles.Expand([Path.Combine(dir.Path, "dovecot.log*"), Path.Combine(dir.Path, "mail.log*"), Path.Combine(dir.Path, "dovecot.log")]);
        Assert.Equal(
            ["dovecot.log.10.gz", "dovecot.log.2.gz", "dovecot.log.1", "dovecot.log", "mail.log-20261127.gz", "mail.log-20261128.gz", "mail.log"],
            files.Select(Path.GetFileName));
    }
}
