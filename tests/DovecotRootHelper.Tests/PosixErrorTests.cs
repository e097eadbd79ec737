using System.Text;
using DovecotRootHelper.Posix;

namespace DovecotRootHelper.Tests;

/// <summary>Calls made to fail for a known reason: the message names that reason, not whatever errno became later.</summary>
public class PosixErrorTests
{
    [Fact]
    public void AMissingFileIsENOENT()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "missing");
        var e = Assert.Throws<FileNotFoundException>(() => Sys.OpenReadOnly(path));
        Assert.Equal($"open {path}: No such file or directory (ENOENT)", e.Message);
    }

    [Fact]
    public void ASymbolicLinkIsELOOP()
    {
        using var dir = new TempDirectory();
        string link = Path.Combine(dir.Path, "link");
        File.CreateSymbolicLink(link, dir.Write("target", "x"));
        var e = Assert.Throws<PosixIOException>(() => Sys.OpenReadOnly(link));
        Assert.Equal(Mono.Unix.Native.Errno.ELOOP, e.Errno);
        Assert.EndsWith("(ELOOP)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APathThroughAFileIsENOTDIR()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Write("file", "x"), "below");
        var e = Assert.Throws<FileNotFoundException>(() => Sys.OpenReadOnly(path));
        Assert.EndsWith("(ENOTDIR)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreatingAnExistingFileIsEEXIST()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("file", "x");
        var e = Assert.Throws<PosixIOException>(() => Sys.CreateNew(path, FileModes.UserReadWrite));
        Assert.Equal($"create {path}: File exists (EEXIST)", e.Message);
    }

    [Fact]
    public void ExecutingAFileWithoutExecutePermissionIsEACCES()
    {
        // EACCES even for root: nobody may execute the file.
        using var dir = new TempDirectory();
        string path = dir.Write("not-a-program", "#!/bin/sh\n");
        var e = Assert.Throws<UnauthorizedAccessException>(() => Sys.Execute([Encoding.UTF8.GetBytes(path)], []));
        Assert.Equal($"execve {path}: Permission denied (EACCES)", e.Message);
    }

    [Fact]
    public void CreateDirectoryWithAMissingParentSaysENOENTNotSuccess()
    {
        // imaproot migrate once printed "mkdir .../journal: Success (0)": errno was read a second time.
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "missing", "journal");
        var e = Assert.Throws<FileNotFoundException>(() => Sys.CreateDirectoryIfMissing(path, FileModes.UserAll));
        Assert.Equal($"mkdir {path}: No such file or directory (ENOENT)", e.Message);
    }

    [Fact]
    public void ATrustedDirectoryOverAFileIsRefused()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("journal", "x");
        var e = Assert.Throws<UntrustedFileException>(() => TrustedDirectory.Ensure(path, FileModes.UserAll));
        Assert.Equal($"{path}: refused: not a directory (a regular file)", e.Message);
    }

    [Fact]
    public void EveryExceptionOfAFailedCallCarriesItsErrno()
    {
        using var dir = new TempDirectory();
        string missing = Path.Combine(dir.Path, "missing");
        Assert.Equal(Mono.Unix.Native.Errno.ENOENT, PosixError.ErrnoOf(Assert.Throws<FileNotFoundException>(() => Sys.OpenReadOnly(missing))));
        Assert.Equal(Mono.Unix.Native.Errno.EEXIST, PosixError.ErrnoOf(Assert.Throws<PosixIOException>(() => Sys.CreateNew(dir.Write("file", "x"), FileModes.UserReadWrite))));
        Assert.Null(PosixError.ErrnoOf(new IOException($"open {missing}: No such file or directory (ENOENT)")));
    }

    [Fact]
    public void AnUntrustedFileThatCannotBeOpenedSaysWhyWithThePathOnce()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "missing: really");
        var e = Assert.Throws<UntrustedFileException>(() => TrustedFile.Open(path, out _));
        Assert.Equal("cannot open: No such file or directory (ENOENT)", e.Problem);
        Assert.Equal($"{path}: cannot open: No such file or directory (ENOENT)", e.Message);
    }

    [Fact]
    public void ATrustedDirectoryIsCreatedPrivateAndAcceptedOnceItExists()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "journal");
        TrustedDirectory.Ensure(path, FileModes.UserAll);
        TrustedDirectory.Ensure(path, FileModes.UserAll);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(path));
    }

    [Fact]
    public void ErrnoIsTheFailedCallsEvenWhenAnotherCallFollows()
    {
        // Last() must be read at once: a later failing call with another reason overwrites it.
        using var dir = new TempDirectory();
        Assert.Null(Sys.TryOpenReadOnly(Path.Combine(dir.Path, "missing")));
        Assert.Equal(Mono.Unix.Native.Errno.ENOENT, PosixError.Last());
        Assert.Null(Sys.TryOpenReadOnly(Path.Combine(dir.Write("file", "x"), "below")));
        Assert.Equal(Mono.Unix.Native.Errno.ENOTDIR, PosixError.Last());
    }
}
