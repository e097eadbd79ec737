using Mono.Unix.Native;

namespace DovecotRootHelper.Posix;

public static partial class Sys
{
    /// <summary>
    /// Waits until <paramref name="listener"/> has a connection waiting: true; false once
    /// <paramref name="hangup"/> (a pipe whose other end the parent holds) is closed or readable.
    /// </summary>
    public static bool WaitForConnection(int listener, int hangup)
    {
        int ready = Libc.WaitEither(listener, hangup);
        if (ready == Libc.PollFailed)
            PosixError.Throw(PosixError.Last(), "poll", $"fd {listener} and fd {hangup}");
        if (ready == Libc.ListenerBroken)
            throw new IOException($"poll fd {listener}: the listening socket hung up or is not open");
        return ready == listener;
    }

    /// <summary>Accepts one connection on an inherited listening socket; -1 when another process took it first. (Login path: libc directly.)</summary>
    public static unsafe int TryAccept(int listener, string what)
    {
        while (true)
        {
            int fd = Libc.Accept4(listener, null, null, FileOpenFlags.Native.CloseOnExec);
            if (fd >= 0)
                return fd;
            Errno errno = PosixError.Last();
            if (errno == Errno.EINTR)
                continue;
            if (errno is Errno.EAGAIN or Errno.ECONNABORTED)
                return -1; // the listener is non-blocking: another process took the connection
            PosixError.Throw(errno, "accept", what);
        }
    }

    /// <summary>
    /// Reads from a socket until <paramref name="complete"/> says the bytes so far are a whole message,
    /// keeping the first descriptor passed along (SCM_RIGHTS); at most <paramref name="limit"/> bytes,
    /// each read waiting at most <paramref name="timeout"/>.
    /// </summary>
    public static (byte[] Data, int Descriptor) ReceiveMessage(int socket, int limit, TimeSpan timeout, Func<ReadOnlySpan<byte>, bool> complete, string what)
    {
        byte[] buffer = new byte[limit];
        int length = 0;
        int descriptor = -1;
        while (length == 0 || !complete(buffer.AsSpan(0, length)))
        {
            if (length == limit)
                throw new IOException($"{what}: more than {limit} bytes");
            int ready = Libc.WaitReadable(socket, (int)timeout.TotalMilliseconds);
            if (ready == 0)
                throw new IOException($"{what}: nothing received for {timeout.TotalSeconds} s");
            if (ready < 0)
                PosixError.Throw(PosixError.Last(), "poll", what);
            nint got = Libc.ReceiveWithDescriptor(socket, buffer.AsSpan(length), out int passed);
            if (got < 0)
                PosixError.Throw(PosixError.Last(), "recvmsg", what);
            if (passed >= 0)
            {
                if (descriptor >= 0)
                    _ = Libc.Close(passed);
                else
                    descriptor = passed;
            }
            if (got == 0)
                throw new IOException($"{what}: connection closed after {length} bytes");
            length += (int)got;
        }
        return (buffer[..length], descriptor);
    }

    /// <summary>Whether <paramref name="fd"/> is open and a pipe. (Login path: libc directly.)</summary>
    public static bool IsPipe(int fd) => Libc.FileStatus(fd, out FileStatus status) == 0 && status.IsFifo;

    /// <summary>Whether <paramref name="fd"/> is open and a socket. (Login path: libc directly.)</summary>
    public static bool IsSocket(int fd) => Libc.FileStatus(fd, out FileStatus status) == 0 && status.IsSocket;

    /// <summary>Sends <paramref name="data"/> and a copy of <paramref name="descriptor"/> over a Unix socket in one message. (Login path: libc directly.)</summary>
    public static void SendWithDescriptor(int socket, ReadOnlySpan<byte> data, int descriptor, string what)
    {
        nint sent = Libc.SendWithDescriptor(socket, data, descriptor);
        if (sent < 0)
            PosixError.Throw(PosixError.Last(), "sendmsg", what);
        if (sent != data.Length)
            throw new IOException($"sendmsg {what}: sent {sent} of {data.Length} bytes");
    }
}
