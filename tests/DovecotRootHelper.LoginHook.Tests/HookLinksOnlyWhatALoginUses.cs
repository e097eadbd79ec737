using System.Text;

namespace DovecotRootHelper.LoginHook.Tests;

/// <summary>
/// The published hook carries none of what a login does not use: in a position-independent
/// executable every type linked is relocated at each start, before Main (docs/performance.md,
/// "Start-up, side by side"). Each name below is in the binary as soon as its library is linked:
/// Mono.Posix's P/Invokes name their helper library, Serilog's assembly its namespace, a
/// custom-attribute lookup the reflection types it builds, System.Console its own name.
/// </summary>
public class HookLinksOnlyWhatALoginUses
{
    [Theory]
    [InlineData("MonoPosixHelper")]
    [InlineData("Serilog.Core")]
    [InlineData("CustomAttributeData")]
    [InlineData("System.Console")]
    public void ThePublishedHookDoesNotLink(string name) =>
        Assert.Equal(-1, File.ReadAllBytes(PublishedHook.Binary).AsSpan().IndexOf(Encoding.ASCII.GetBytes(name)));
}
