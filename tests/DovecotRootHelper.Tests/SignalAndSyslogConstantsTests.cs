using DovecotRootHelper.Posix;

namespace DovecotRootHelper.Tests;

/// <summary>The numbers the POSIX layer copies from signal.h and syslog.h hold on every architecture the programs ship for.</summary>
public class SignalAndSyslogConstantsTests
{
    [Theory]
    [MemberData(nameof(FileOpenFlagsTests.Architectures), MemberType = typeof(FileOpenFlagsTests))]
    public void TheSignalAndSyslogConstantsMatchEachArchitecturesCHeaders(string architecture, string target)
    {
        _ = architecture;
        Assert.Equal("", CHeaders.Mismatches(target, ["signal.h", "syslog.h"],
        [
            ("SIGINT", Libc.SignalInterrupt), ("SIGTERM", Libc.SignalTerminate),
            ("LOG_PID", Libc.LogPid), ("LOG_NDELAY", Libc.LogNoDelay), ("LOG_MAIL", Libc.FacilityMail),
            ("LOG_CRIT", (long)SyslogSeverity.Critical), ("LOG_ERR", (long)SyslogSeverity.Error),
            ("LOG_WARNING", (long)SyslogSeverity.Warning), ("LOG_INFO", (long)SyslogSeverity.Information),
            ("LOG_DEBUG", (long)SyslogSeverity.Debug),
        ]));
    }

    [Fact]
    public void AWrongValueIsCaught() =>
        Assert.Contains("SIGTERM", CHeaders.Mismatches(CHeaders.X64, ["signal.h"], [("SIGTERM", 9)]), StringComparison.Ordinal);
}
