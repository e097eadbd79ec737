using DovecotRootHelper.Decision;
using DovecotRootHelper.Dovecot;
using DovecotRootHelper.Posix;

namespace DovecotRootHelper.LoginHook;

/// <summary>
/// Dovecot 2.3 checkpassword userdb (<c>userdb { driver = checkpassword; args = HOOK }</c>): reads the
/// user from fd 3, resolves the Unix account, and execs the reply program with USER, HOME and
/// userdb_uid, userdb_gid, userdb_mail (none when the location is Dovecot's own) listed in EXTRA,
/// and AUTHORIZED=2.
/// </summary>
internal static class CheckpasswordUserdb
{
    public static int Run(string[] next, LoginEnvironment env)
    {
        byte[]? input;
        try
        {
            input = Sys.ReadInherited(CheckpasswordRequest.Descriptor, CheckpasswordRequest.MaxLength);
        }
        catch (IOException e)
        {
            HookLog.Error($"userdb lookup failed: {e.Message}");
            return ExitCodes.TemporaryFailure;
        }
        if (input is null)
        {
            HookLog.Error("fd 3 is not open: " + InvocationModes.Usage);
            return ExitCodes.Usage;
        }

        string user;
        try
        {
            user = CheckpasswordRequest.ParseUser(input);
        }
        catch (FormatException e)
        {
            HookLog.Error($"userdb lookup refused: {e.Message}");
            return ExitCodes.TemporaryFailure;
        }

        // Only the account database's own "no such account" is exit 3: Dovecot answers it as
        // final (LMTP 550, the MTA bounces). An outage must be 111, which Dovecot retries.
        UnixAccount? account;
        try
        {
            account = UnixAccount.Find(user);
        }
        catch (AccountLookupException e)
        {
            HookLog.Error($"userdb lookup for {user} failed temporarily: {e.Message}");
            return ExitCodes.TemporaryFailure;
        }
        if (account is null)
        {
            HookLog.Note($"userdb lookup: no Unix account {user}");
            return ExitCodes.UnknownUser;
        }

        RootDecision? decision = Checkpassword.TryDecide(env, user, account.Home, account.Uid, "userdb lookup");
        if (decision is null)
            return ExitCodes.TemporaryFailure;

        env.Set("USER", account.Name);
        env.Set("HOME", account.Home);
        KeyValuePair<string, string> uid = new("userdb_uid", account.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        KeyValuePair<string, string> gid = new("userdb_gid", account.Gid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // No location (legacy unset): no mail field, so Dovecot's own mail_location applies.
        Checkpassword.AddFields(env, decision.Location is null
            ? [uid, gid]
            : [uid, gid, new("userdb_mail", decision.Location.ToDovecot23())]);
        env.Set("AUTHORIZED", "2");
        return Checkpassword.Execute(next, env, user);
    }
}
