using DovecotRootHelper.Posix;
using Mono.Unix.Native;

namespace DovecotRootHelper.Tests;

/// <summary>
/// fd 0 is a descriptor like any other: a root-run program started with stdin closed gets 0 from
/// its first open, and a <see cref="FileDescriptor"/> holding it must close it, not leak it as
/// "invalid". The test borrows this process's fd 0 (saved and put back), alone: no other test may
/// open a file meanwhile and be handed 0.
/// </summary>
[CollectionDefinition(nameof(DescriptorZeroIsADescriptor), DisableParallelization = true)]
[Collection(nameof(DescriptorZeroIsADescriptor))]
public class DescriptorZeroIsADescriptor
{
    [Fact]
    public void FileDescriptorZeroIsValidAndClosedOnDispose()
    {
        int saved = Syscall.dup(0);
        Assert.True(saved > 0, $"dup(0): {Stdlib.GetLastError()}");
        try
        {
            using (FileDescriptor devNull = Sys.OpenReadOnly("/dev/null"))
                Assert.Equal(0, Syscall.dup2(devNull.Number, 0));

            var zero = FileDescriptor.Own(0);
            Assert.False(zero.IsInvalid);
            Assert.Equal(0, zero.Number);
            zero.Dispose();

            // Closed: fcntl on fd 0 fails with EBADF.
            Assert.Equal(-1, Syscall.fcntl(0, FcntlCommand.F_GETFD));
            Assert.Equal(Errno.EBADF, Stdlib.GetLastError());
        }
        finally
        {
            _ = Syscall.dup2(saved, 0);
            _ = Syscall.close(saved);
        }
    }
}

