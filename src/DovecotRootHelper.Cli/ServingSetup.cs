using DovecotRootHelper.Configuration;
using DovecotRootHelper.Dovecot;
using DovecotRootHelper.Migration;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Cli;

/// <summary>
/// For <c>imaproot explain</c>: which part of dovecot-root-helper hands Dovecot a user's root, as
/// Dovecot's own settings say (<c>doveconf -n</c>), in words, and in which form: a userdb's fields
/// (<see cref="Userdb"/> their prefix: empty for the all-services passwd-file as <c>doveadm user</c>
/// prints them, <c>userdb_</c> for checkpassword) and/or the post-login hook's variables.
/// </summary>
internal sealed record ServingSetup(string Description, string? Userdb, bool PostLoginHook)
{
    public static ServingSetup Ask(DovecotAgreement dovecot, HelperConfig config)
    {
        bool inDatabase = config.Backend == StateBackend.Postgresql;
        if (!dovecot.Asked)
            return inDatabase
                ? new("setup not asked ([dovecot] doveconf is empty): what the pgsql all-services userdb answers", "", false)
                : new("setup not asked ([dovecot] doveconf is empty): what the post-login hook hands", null, true);
        if (dovecot.Setup is not { } setup)
            return inDatabase
                ? new($"setup unknown ({dovecot.Unreadable}): what the pgsql all-services userdb answers", "", false)
                : new($"setup unknown ({dovecot.Unreadable}): what the post-login hook hands", null, true);
        string[] hooked = [.. DovecotSetup.LoginProtocols.Where(p => setup.Protocols.Contains(p) && setup.RunsHookAtLogin(p))];
        if (inDatabase)
            return InDatabase(setup, hooked);
        string? userdb = setup.ReadsUserdb(config.UserdbFile) ? "" : setup.HookIsCheckpasswordUserdb ? "userdb_" : null;
        if (userdb is null && hooked.Length == 0)
            return new("Dovecot runs nothing of dovecot-root-helper (doveconf -n; imaproot check says what to include): every login gets Dovecot's own location; the post-login hook would hand", null, true);
        var parts = new List<string>();
        if (userdb == "")
            parts.Add($"the all-services userdb ({config.UserdbFile}) for every service: Dovecot's userdb answers");
        else if (userdb is not null)
            parts.Add("the checkpassword userdb for every service: the hook answers");
        if (hooked.Length > 0)
            parts.Add($"the post-login hook for {string.Join(" and ", hooked)}");
        return new(string.Join("; ", parts), userdb, hooked.Length > 0);
    }

    // With the state in PostgreSQL only Dovecot's sql userdb serves it; the hook never reads the
    // database and, run anyway, refuses every login (imaproot check names what to remove).
    private static ServingSetup InDatabase(DovecotSetup setup, string[] hooked)
    {
        var parts = new List<string>();
        parts.Add(setup.ReadsSqlUserdb
            ? $"the all-services sql userdb ({DovecotSetup.UserdbFunction} in the PostgreSQL database) for every service: Dovecot's userdb answers"
            : $"Dovecot runs no sql userdb calling {DovecotSetup.UserdbFunction} (doveconf -n; imaproot check says what to include): Dovecot's answers do not follow the database");
        if (setup.HookIsCheckpasswordUserdb)
            parts.Add("the checkpassword userdb, which fails every lookup with [state] backend = postgresql");
        if (hooked.Length > 0)
            parts.Add($"the post-login hook for {string.Join(" and ", hooked)}, which refuses every login with [state] backend = postgresql");
        return new(string.Join("; ", parts), setup.ReadsSqlUserdb ? "" : null, false);
    }
}
