using DovecotRootHelper.Configuration;
using DovecotRootHelper.Dovecot;
using DovecotRootHelper.Posix;

namespace DovecotRootHelper.LoginHook;

/// <summary>
/// The last step of a post-login chain, done in process. When the rest of argv is just Dovecot
/// 2.3's script-login, all that program would do is send imap the userdb reply and the client's
/// socket over fd 3 (<see cref="ScriptLoginReply"/>) and exit; doing that here saves loading it,
/// about 1.5 ms a login (docs/performance.md). Anything else in argv (another script) is exec'd as
/// usual, and so is script-login of a Dovecot whose script-login this was not checked against: the
/// script sees no version (script-login clears the environment), so <c>[dovecot] version</c> decides.
/// </summary>
internal static class ScriptLoginFinish
{
    public static bool Applies(LoginSettings config, string[] next) =>
        config.PostLoginFinish == PostLoginFinish.Auto
        && config.Generation.ScriptLoginFinishChecked
        && next.Length == 1
        && Path.GetFileName(next[0]) == "script-login"
        && Sys.IsSocket(ScriptLoginReply.MailProcessSocket);

    /// <summary>Hands the login to the mail process; false if it could not (the client's socket is still ours).</summary>
    public static bool TrySend(LoginEnvironment env, int mailProcess, int client)
    {
        string user = env["USER"]!;
        // The other values as they came: script-login copies bytes, so must its stand-in.
        byte[] reply = ScriptLoginReply.Format(env.Raw("USER")!, env[UserdbReply.KeysVariable], env.Raw);
        try
        {
            Sys.SendWithDescriptor(mailProcess, reply, client, $"the userdb reply to the mail process (fd {mailProcess})");
            return true;
        }
        catch (IOException e)
        {
            HookLog.Error($"login refused for {user}: {e.Message}");
            return false;
        }
    }
}
