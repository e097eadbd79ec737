using System.Globalization;
using DovecotRootHelper.Cli.Reports;
using DovecotRootHelper.Decision;
using DovecotRootHelper.Dovecot;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Cli.Commands;

/// <summary>
/// <c>imaproot explain USER [--uid N] [--home DIR]</c>: the decision and the variables the
/// post-login hook hands Dovecot for the user, computed by the same code the hook runs
/// (<see cref="RootDecision.ForLogin"/> and <see cref="UserdbReply"/>).
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

        RootDecision decision = RootDecision.ForLogin(context.Config, user, home, uidText, withLineNumber: true);
        DovecotGeneration generation = context.Config.Generation;
        IReadOnlyList<KeyValuePair<string, string>> fields = decision.Location is null ? [] : generation.UserdbFields(decision.Location);
        // Dovecot's own USERDB_KEYS vary by userdb; starting from none shows exactly what the hook adds.
        UserdbReply reply = UserdbReply.ForPostLogin(null, fields, generation);
        var report = new ExplainReport(
            user,
            uint.Parse(uidText, CultureInfo.InvariantCulture),
            home,
            generation.Name,
            decision.State.ToName(),
            decision.Why,
            decision.RefusesLogin,
            decision.RefusesLogin ? [] : reply.Set.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal),
            decision.RefusesLogin ? [] : reply.Keys,
            decision.RefusesLogin ? [] : reply.Removed);

        if (context.Json)
        {
            context.Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(report, ImaprootJson.Output.ExplainReport));
            return ExitCodes.Ok;
        }
        TextWriter output = context.Console.Out;
        output.WriteLine($"# {user} (uid {report.Uid}, home {home}): {report.State} ({report.Why}); Dovecot {report.DovecotVersion}, post-login hook");
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
