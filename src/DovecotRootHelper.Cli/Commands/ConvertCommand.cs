using DovecotRootHelper.Cli.Reports;
using DovecotRootHelper.Migration;
using DovecotRootHelper.Posix;

namespace DovecotRootHelper.Cli.Commands;

/// <summary>
/// <c>imaproot convert USER... --to TARGET [--users-from FILE] [--dry-run] [--yes]</c> and
/// <c>imaproot finalize USER...</c>: users' mail copied to a target location of <c>[locations]</c>
/// one after the other (<see cref="UserConversion"/>), one user's failure never stopping the others;
/// each user's line says how long logins were refused, and several users end with the totals.
/// </summary>
internal static class ConvertCommand
{
    public static int Run(CommandContext context)
    {
        context.Arguments.Allow("--to", "--dry-run", "--yes", "--users-from");
        string? usersFrom = context.Arguments.Value("--users-from");
        context.Arguments.Expect(usersFrom is null ? 1 : 0, int.MaxValue, "convert USER... --to TARGET [--users-from FILE] [--dry-run] [--yes]");
        string target = context.Arguments.Value("--to") ?? throw CommandFailure.Usage("convert: --to TARGET is required (a target of [locations])");
        if (context.Config.Targets.Template(target) is null)
            throw CommandFailure.Usage($"convert: --to {target}: not a target of [locations] in {context.ConfigPath} (targets: {(context.Config.Targets.Count == 0 ? "none" : string.Join(", ", context.Config.Targets.Names))})");
        List<UnixAccount> accounts = Accounts(context, usersFrom);
        UserConversion conversion = Conversion(context, out ProgressDisplay? progress);
        if (context.Arguments.Has("--dry-run"))
            return DryRun(context, conversion, accounts, target);
        context.Confirm($"Convert {accounts.Count} user(s) to {target}?");
        return Each(context, progress, accounts, account => conversion.Convert(account, target));
    }

    public static int RunFinalize(CommandContext context)
    {
        context.Arguments.Allow("--yes", "--users-from");
        string? usersFrom = context.Arguments.Value("--users-from");
        context.Arguments.Expect(usersFrom is null ? 1 : 0, int.MaxValue, "finalize USER... [--users-from FILE] [--yes]");
        List<UnixAccount> accounts = Accounts(context, usersFrom);
        UserConversion conversion = Conversion(context, out ProgressDisplay? progress);
        context.Confirm($"Remove the old mail of {accounts.Count} converted user(s)? There is no way back.");
        return Each(context, progress, accounts, conversion.Finalize);
    }

    /// <summary>resume and rollback of a user with a conversion record.</summary>
    public static int Finish(CommandContext context, UnixAccount account, Func<UserConversion, ConversionResult> action)
    {
        UserConversion conversion = Conversion(context, out ProgressDisplay? progress);
        return Each(context, progress, [account], _ => action(conversion));
    }

    /// <summary>
    /// run-due's scheduled conversions: each user to their target, one after the other; a user a
    /// crashed run left with a conversion on record to that target is resumed instead.
    /// </summary>
    public static int RunScheduled(CommandContext context, List<(UnixAccount Account, string Target)> users)
    {
        UserConversion conversion = Conversion(context, out ProgressDisplay? progress);
        Dictionary<string, string> targets = users.ToDictionary(u => u.Account.Name, u => u.Target, StringComparer.Ordinal);
        return Each(context, progress, [.. users.Select(u => u.Account)], account =>
            conversion.Journal(account) is { } kept && kept.To == targets[account.Name]
                ? conversion.Resume(account, rollback: false)
                : conversion.Convert(account, targets[account.Name]));
    }

    /// <summary>Whether the user has a conversion on record (resume and rollback then act on it).</summary>
    public static bool HasRecord(CommandContext context, UnixAccount account) =>
        context.Conversion().Journal(account) is not null;

    private static UserConversion Conversion(CommandContext context, out ProgressDisplay? progress)
    {
        progress = context.Json ? null : new ProgressDisplay(context.Console.Out, context.Console.OutputIsTerminal);
        return context.Conversion(progress);
    }

    private static List<UnixAccount> Accounts(CommandContext context, string? usersFrom)
    {
        List<string> users = [.. context.Arguments.Operands.Concat(MigrateCommand.UsersFrom(context, usersFrom)).Distinct(StringComparer.Ordinal)];
        return users.Count == 0
            ? throw new CommandFailure(ExitCodes.Failed, $"--users-from {usersFrom}: names no user; nothing done")
            : [.. users.Select(context.Account)];
    }

    private static int Each(CommandContext context, ProgressDisplay? progress, List<UnixAccount> accounts, Func<UnixAccount, ConversionResult> action)
    {
        var outcomes = new List<ConversionOutcome>();
        int exitCode = ExitCodes.Ok;
        var output = new VisibleText(context.Console.Out);
        foreach (UnixAccount account in accounts)
        {
            ConversionOutcome outcome = Outcome(account.Name, () => action(account), out int code);
            progress?.EndLine();
            outcomes.Add(outcome);
            if (exitCode == ExitCodes.Ok)
                exitCode = code;
            if (outcome.Error is not null)
                Imaproot.Fail(context.Console, code, outcome.Error);
            else if (!context.Json)
            {
                foreach (string note in outcome.Notes)
                    output.WriteLine($"{outcome.User}: {note}");
                output.WriteLine($"{outcome.User}: {outcome.State}: {outcome.What}" + (outcome.Messages > 0
                    ? $" ({outcome.Messages} message(s); copy while online {outcome.PreSyncSeconds:0.0} s, cut-over {outcome.CutOverSeconds:0.0} s, logins refused {outcome.RefusedSeconds:0.0} s)"
                    : ""));
            }
        }
        List<ConversionOutcome> done = [.. outcomes.Where(o => o.Error is null)];
        var report = new ConversionReport(outcomes, done.Count, outcomes.Count - done.Count, done.Sum(o => o.Messages),
            done.Sum(o => o.PreSyncSeconds), done.Count == 0 ? 0 : done.Max(o => o.RefusedSeconds));
        if (context.Json)
            context.Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(report, ImaprootJson.Output.ConversionReport));
        else if (accounts.Count > 1)
            output.WriteLine($"{context.Arguments.Command}: {report.Succeeded} of {outcomes.Count} user(s) done, {report.Failed} failed; {report.Messages} message(s), copies while online {report.PreSyncSeconds:0.0} s in all, logins refused at most {report.LongestRefusedSeconds:0.0} s");
        return exitCode;
    }

    private static ConversionOutcome Outcome(string user, Func<ConversionResult> action, out int exitCode)
    {
        try
        {
            ConversionResult result = action();
            exitCode = ExitCodes.Ok;
            return new ConversionOutcome(user, result.State.Name, result.What, result.MessageCount,
                result.PreSync.TotalSeconds, result.CutOver.TotalSeconds, result.Refused.TotalSeconds, result.Notes, null);
        }
        catch (Exception e) when (Outcomes.IsExpected(e))
        {
            exitCode = Outcomes.ExitCodeFor(e);
            return new ConversionOutcome(user, null, null, 0, 0, 0, 0, [], Imaproot.OneLine(e.Message));
        }
    }

    private static int DryRun(CommandContext context, UserConversion conversion, List<UnixAccount> accounts, string target)
    {
        int exitCode = ExitCodes.Ok;
        var output = new VisibleText(context.Console.Out);
        foreach (UnixAccount account in accounts)
        {
            ConversionPlan plan;
            try
            {
                plan = conversion.Plan(account, target);
            }
            catch (MigrationException e)
            {
                Imaproot.Fail(context.Console, ExitCodes.Failed, e.Message);
                exitCode = ExitCodes.Failed;
                continue;
            }
            output.WriteLine($"{plan.User}: {plan.From.Name} -> {plan.To}");
            if (plan.Source is not null)
                output.WriteLine($"  from {plan.Source.Path}, to {plan.Destination.Path} ({plan.Destination.Driver})");
            if (plan.Census is { } census)
            {
                foreach ((string mailbox, MailboxCount count) in census.Mailboxes)
                    output.WriteLine($"  mailbox {mailbox}: {count}{(census.Subscribed.Contains(mailbox) ? ", subscribed" : "")}");
                output.WriteLine($"  {census.Messages} message(s) in {census.Mailboxes.Count} mailbox(es), {plan.SourceBytes >> 20} MiB; the copy needs about {plan.NeededBytes >> 20} MiB, {plan.AvailableBytes >> 20} MiB available");
            }
            foreach (string note in plan.Notes)
                output.WriteLine($"  note: {note}");
            foreach (string conflict in plan.Conflicts)
                output.WriteLine($"  conflict: {conflict}");
            if (!plan.IsExecutable)
            {
                Imaproot.Fail(context.Console, ExitCodes.Failed, $"{plan.User}: the plan has {plan.Conflicts.Count} conflict(s)");
                exitCode = ExitCodes.Failed;
            }
        }
        return exitCode;
    }
}
