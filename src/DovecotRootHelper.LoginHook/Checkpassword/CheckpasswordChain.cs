using System.Globalization;
using DovecotRootHelper.Decision;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.LoginHook;

/// <summary>
/// A link in a passdb checkpassword chain (<c>args = CHECKER HOOK</c>): the password checker has
/// verified the password and exec'd the hook with USER (and usually HOME) set. The hook adds the
/// location (and the account's uid/gid unless the checker gave them) and execs the rest of argv.
/// </summary>
internal static class CheckpasswordChain
{
    public static int Run(string[] next, LoginEnvironment env)
    {
        string user = env["USER"] ?? "";
        string? problem = UserName.Problem(user);
        if (problem is not null)
        {
            HookLog.Error($"USER '{user}' {problem}: the hook must be exec'd by a password checker that sets USER; " + InvocationModes.Usage);
            return ExitCodes.TemporaryFailure;
        }
        UnixAccount? account;
        try
        {
            account = UnixAccount.Find(user);
        }
        catch (AccountLookupException e)
        {
            HookLog.Error($"authentication for {user} failed temporarily: {e.Message}");
            return ExitCodes.TemporaryFailure;
        }
        if (account is null)
        {
            HookLog.Error($"authentication for {user} failed: no Unix account {user}");
            return ExitCodes.TemporaryFailure;
        }
        string home = string.IsNullOrEmpty(env["HOME"]) ? account.Home : env["HOME"]!;

        RootDecision? decision = Checkpassword.TryDecide(env, user, home, account.Uid, "authentication");
        if (decision is null)
            return ExitCodes.TemporaryFailure;

        env.Set("HOME", home);
        var fields = new List<KeyValuePair<string, string>>();
        if (!Checkpassword.ListsField(env, "userdb_uid"))
            fields.Add(new("userdb_uid", account.Uid.ToString(CultureInfo.InvariantCulture)));
        if (!Checkpassword.ListsField(env, "userdb_gid"))
            fields.Add(new("userdb_gid", account.Gid.ToString(CultureInfo.InvariantCulture)));
        if (decision.Location is not null)
            fields.Add(new("userdb_mail", decision.Location.ToDovecot23()));
        Checkpassword.AddFields(env, fields);
        return Checkpassword.Execute(next, env, user);
    }
}
