namespace DovecotRootHelper.LoginHook.Tests;

/// <summary>A config, a state file and a home in a temporary directory, and logins through the published hook.</summary>
public sealed class HookScenario : IDisposable
{
    private readonly TempDirectory _dir = new();

    public HookScenario(string state = "", string version = "2.3", string extraState = "", string log = "no", string finish = "auto", string migrated = "mbox:~/IMAP:INBOX=/var/mail/%u", string? legacy = "mbox:~:INBOX=/var/mail/%u", string targets = "")
    {
        StatePath = _dir.Write("state", state);
        Home = Path.Combine(_dir.Path, "home", "alice");
        Directory.CreateDirectory(Home);
        ConfigPath = _dir.Write("helper.conf", $"""
            [dovecot]
            version = {version}
            post-login-finish = {finish}
            [locations]
            {(legacy is null ? "" : "legacy = " + legacy)}
            migrated = {migrated}{(targets.Length == 0 ? "" : "\n" + targets)}
            [state]
            file = {StatePath}
            {extraState}
            [log]
            decisions = {log}
            """);
    }

    public string Dir => _dir.Path;

    public string StatePath { get; }

    public string ConfigPath { get; }

    public string Home { get; }

    public string RecordPath => Path.Combine(_dir.Path, "exec.record");

    /// <summary>The environment script-login hands a post-login script for this user.</summary>
    public Dictionary<string, string> LoginEnvironment(string user = "alice", string uid = "1001") => new(StringComparer.Ordinal)
    {
        ["USER"] = user,
        ["HOME"] = Home,
        ["UID"] = uid,
        ["GID"] = uid,
        ["IP"] = "127.0.0.1",
        ["LOCAL_IP"] = "127.0.0.1",
        ["DOVECOT_ROOT_HELPER_CONFIG"] = ConfigPath,
        ["USERDB_KEYS"] = "UID GID HOME DOVECOT_ROOT_HELPER_CONFIG ",
    };

    public (HookRun Run, ExecRecord? Exec) Login(Dictionary<string, string> environment, string? binary = null)
    {
        File.Delete(RecordPath);
        HookRun run = PublishedHook.Run(environment, [PublishedHook.Recorder, RecordPath], binary);
        return (run, ExecRecord.Load(RecordPath));
    }

    public (HookRun Run, ExecRecord? Exec) Login(string user = "alice", string uid = "1001") => Login(LoginEnvironment(user, uid));

    public void Dispose() => _dir.Dispose();
}
