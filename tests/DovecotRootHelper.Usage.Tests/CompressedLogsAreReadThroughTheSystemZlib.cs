using System.IO.Compression;

namespace DovecotRootHelper.Usage.Tests;

/// <summary>
/// Rotated logs compressed by gzip are read through the system's zlib (GzipFileStream): every member
/// of a multi-member file, and a damaged file refused in one line naming it.
/// </summary>
public class CompressedLogsAreReadThroughTheSystemZlib
{
    [Fact]
    public void EveryMemberOfAConcatenatedGzipFileIsRead()
    {
        using var scenario = new ScanScenario();
        string path = scenario.PathOf("dovecot.log.2.gz");
        // `cat a.gz b.gz > c.gz`, or a logrotate that appended: gzip -d reads both members.
        using (FileStream output = File.Create(path))
        {
            foreach (int minute in new[] { 1, 2 })
            {
                using var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true);
                gzip.Write(ScanScenario.Bytes(ScanScenario.Selects("bob", "Archive", 3, minute)));
            }
        }

        var result = scenario.Scan(path).Single();

        Assert.Equal("read", result.Outcome);
        Assert.True(result.Compressed);
        Assert.Equal(6, result.Events);
        Assert.Equal(["bob Archive SELECT 6"], scenario.Uses());
    }

    [Fact]
    public void ATruncatedGzipFileIsRefusedNamingIt()
    {
        using var scenario = new ScanScenario();
        string path = scenario.PathOf("dovecot.log.3.gz");
        using (var buffer = new MemoryStream())
        {
            using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
                gzip.Write(ScanScenario.Bytes(ScanScenario.Selects("bob", "Archive", 200)));
            File.WriteAllBytes(path, buffer.ToArray()[..(int)(buffer.Length / 2)]);
        }

        var e = Assert.Throws<IOException>(() => scenario.Scan(path));

        Assert.StartsWith($"{path}: not a valid gzip file (", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }
}
