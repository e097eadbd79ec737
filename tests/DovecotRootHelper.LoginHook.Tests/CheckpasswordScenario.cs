using System.Text;

namespace DovecotRootHelper.LoginHook.Tests;

/// <summary>The environment Dovecot 2.3's checkpassword gives a program, around a <see cref="HookScenario"/>.</summary>
public static class CheckpasswordScenario
{
    /// <summary>A Unix account every test machine has.</summary>
    public const string Account = "root";

    public static Dictionary<string, string> Environment(HookScenario scenario, bool lookup)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PROTO"] = "TCP",
            ["ORIG_UID"] = "0",
            ["SERVICE"] = "imap",
            ["TCPLOCALIP"] = "127.0.0.1",
            ["TCPREMOTEIP"] = "127.0.0.1",
            ["AUTH_USER"] = Account,
            ["DOVECOT_ROOT_HELPER_CONFIG"] = scenario.ConfigPath,
        };
        if (lookup)
            env["AUTHORIZED"] = "1";
        return env;
    }

    public static byte[] Request(string user) => [.. Encoding.UTF8.GetBytes(user), 0, 0, 0];

    public static (HookRun Run, ExecRecord? Exec) Lookup(HookScenario scenario, byte[] fd3, Dictionary<string, string>? env = null)
    {
        File.Delete(scenario.RecordPath);
        HookRun run = PublishedHook.RunWithFd3(env ?? Environment(scenario, lookup: true), [PublishedHook.Recorder, scenario.RecordPath], fd3);
        return (run, ExecRecord.Load(scenario.RecordPath));
    }
}
