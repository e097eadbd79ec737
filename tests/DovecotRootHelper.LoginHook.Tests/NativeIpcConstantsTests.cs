namespace DovecotRootHelper.LoginHook.Tests;

/// <summary>The numbers NativeIpc copies from C headers hold on every architecture the hook ships for.</summary>
public class NativeIpcConstantsTests
{
    [Theory]
    [InlineData(CHeaders.X64)]
    [InlineData(CHeaders.Arm64)]
    public void TheSocketConstantsMatchTheCHeaders(string target) =>
        Assert.Equal("", CHeaders.Mismatches(target, ["sys/socket.h"],
        [
            ("AF_UNIX", NativeIpc.Unix), ("SOCK_STREAM", NativeIpc.Stream), ("SOL_SOCKET", NativeIpc.SocketLevel),
            ("SCM_RIGHTS", NativeIpc.PassRights), ("MSG_DONTWAIT", NativeIpc.DontWait),
        ]));
}
