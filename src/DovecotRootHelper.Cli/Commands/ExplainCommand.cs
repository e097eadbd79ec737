using System.Globalization;
using DovecotRootHelper.Cli.Reports;
using DovecotRootHelper.Configuration;
using DovecotRootHelper.Decision;
using DovecotRootHelper.Dovecot;
using DovecotRootHelper.Migration;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Cli.Commands;

/// <summary>
/// <c>imaproot explain USER [--uid N] [--home DIR]</c>: the decision and what the part of
/// dovecot-root-helper that Dovecot really runs (asked with <c>doveconf -n</c>, as <c>check</c> asks)
/// hands Dovecot for the user: the all-services or checkpassword userdb's fields, or the post-login
/// hook's variables, computed by the same code the hook runs (<see cref="RootDecision.ForLogin"/>
/// and <see cref="UserdbReply"/>). When Dovecot is not asked, the post-login hook's.
/// </summary>
internal static class ExplainCommand
{
    public static int Run(CommandContext context)
    {
        context.Arguments.Allow("--uid", "--home");
        context.Arguments.Expect(1, 1, "explain USER [--uid N] [--home DIR]");
        string user = context.Arguments.Operands[0];
        string? uidText = context.Arguments.Value("--uid");
        string? home = context.Arguments.Value("--home");
        if (uidText is not null && !uint.TryParse(uidText, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            throw CommandFailure.Usage($"explain: --uid {uidText}: expected a whole number");
        if (!UserName.IsValid(user))
            throw CommandFailure.UnknownUser(user);
        if (uidText is null || home is null)
        {
            UnixAccount account = context.Account(user);
            uidText ??= account.Uid.ToString(CultureInfo.InvariantCulture);
            home ??= account.Home;
        }

        HelperConfig config = context.Config;
        // The hook's own lookup in the state file; in the database, the row Dovecot's sql userdb reads.
        StateEntry? entry = config.Backend == StateBackend.File ? null : context.Store.Find(user);
        RootDecision decision = config.Backend == StateBackend.File
            ? RootDecision.ForLogin(config, user, home, uidText, withLineNumber: true)
            : RootDecision.Decide(config, user, home, uidText, entry, entry is null ? null : context.Store.Where(entry));
        DovecotGeneration generation = config.Generation;
        IReadOnlyList<KeyValuePair<string, string>> fields = decision.Location is null ? [] : generation.UserdbFields(decision.Location);
        // Dovecot's own USERDB_KEYS vary by userdb; starting from none shows exactly what the hook adds.
        UserdbReply reply = UserdbReply.ForPostLogin(null, fields, generation);
        ServingSetup serving = ServingSetup.Ask(new DovecotAgreement(config, context.FindAccount), config);
        var report = new ExplainReport(
            user,
            uint.Parse(uidText, CultureInfo.InvariantCulture),
            home,
            generation.Name,
            decision.State.ToName(),
            decision.Why,
            decision.RefusesLogin,
            serving.Description,
            decision.RefusesLogin || serving.Userdb is null ? [] : fields.ToDictionary(f => serving.Userdb + f.Key, f => f.Value, StringComparer.Ordinal),
            decision.RefusesLogin ? [] : reply.Set.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal),
            decision.RefusesLogin ? [] : reply.Keys,
            decision.RefusesLogin ? [] : reply.Removed);

        if (context.Json)
        {
            context.Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(report, ImaprootJson.Output.ExplainReport));
            return ExitCodes.Ok;
        }
        TextWriter output = context.Console.Out;
        output.WriteLine($"# {user} (uid {report.Uid}, home {home}): {report.State} ({report.Why}); Dovecot {report.DovecotVersion}, {serving.Description}");
        if (serving.Userdb is not null)
        {
            if (decision.RefusesLogin)
                output.WriteLine("# refused for now: the userdb fails the lookup temporarily (logins refused, LMTP deliveries deferred for the MTA to retry)");
            else if (fields.Count == 0)
                output.WriteLine("# no location field: Dovecot's own mail location applies");
            foreach (KeyValuePair<string, string> field in report.UserdbFields)
                output.WriteLine($"{field.Key}={field.Value}");
            if (!serving.PostLoginHook)
                return ExitCodes.Ok;
            output.WriteLine("# and at IMAP/POP3 login the post-login hook hands:");
        }
        if (!serving.PostLoginHook)
        {
            // The state in PostgreSQL without Dovecot's sql userdb: nothing of ours hands a location.
            output.WriteLine("# nothing of dovecot-root-helper hands Dovecot this location (imaproot check)");
            return ExitCodes.Ok;
        }
        if (decision.RefusesLogin)
        {
            output.WriteLine("# login refused for now: the hook prints an untagged BYE (IMAP) or -ERR [SYS/TEMP] (POP3) and exits");
            return ExitCodes.Ok;
        }
        foreach (KeyValuePair<string, string> variable in reply.Set)
            output.WriteLine($"{variable.Key}={variable.Value}");
        output.WriteLine($"USERDB_KEYS=<Dovecot's keys> {reply.KeysValue}");
        output.WriteLine($"# unset: {string.Join(' ', reply.Removed)}");
        return ExitCodes.Ok;
    }
}
