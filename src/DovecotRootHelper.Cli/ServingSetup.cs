using DovecotRootHelper.Configuration;
using DovecotRootHelper.Dovecot;
using DovecotRootHelper.Migration;

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
        if (!dovecot.Asked)
            return new("setup not asked ([dovecot] doveconf is empty): what the post-login hook hands", null, true);
        if (dovecot.Setup is not { } setup)
            return new($"setup unknown ({dovecot.Unreadable}): what the post-login hook hands", null, true);
        string[] hooked = [.. DovecotSetup.LoginProtocols.Where(p => setup.Protocols.Contains(p) && setup.RunsHookAtLogin(p))];
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
}
