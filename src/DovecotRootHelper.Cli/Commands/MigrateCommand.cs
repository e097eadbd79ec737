using DovecotRootHelper.Cli.Reports;
using DovecotRootHelper.Migration;
using DovecotRootHelper.Posix;

namespace DovecotRootHelper.Cli.Commands;

/// <summary>
/// <c>imaproot migrate USER... [--users-from FILE] [--dry-run] [--yes]</c>: one user is migrated on
/// their own; several (or a file of them) are one batch (<see cref="UserMigration.MigrateBatch(IReadOnlyList{UnixAccount}, MailboxSelection)"/>):
/// one state-file write sets them all migrating, one sets the results, and one user's failure
/// never stops the others. The batch's report is printed and kept in the journal directory.
/// </summary>
internal static class MigrateCommand
{
    public static int Run(CommandContext context)
    {
        context.Arguments.Allow("--dry-run", "--yes", "--mailbox", "--mailboxes-from", "--users-from", "--filter-references");
        string? usersFrom = context.Arguments.Value("--users-from");
        context.Arguments.Expect(usersFrom is null ? 1 : 0, int.MaxValue, "migrate USER... [--users-from FILE] [--dry-run] [--yes] [--mailbox NAME]... [--mailboxes-from FILE] [--filter-references HOW]");
        List<string> users = [.. context.Arguments.Operands.Concat(UsersFrom(context, usersFrom)).Distinct(StringComparer.Ordinal)];
        if (users.Count == 0)
            throw new CommandFailure(ExitCodes.Failed, $"--users-from {usersFrom}: names no user; nothing done");
        List<UnixAccount> accounts = [.. users.Select(context.Account)];
        MailboxSelection selection = MailboxSelectionArguments.From(context.Arguments, context.Console.In);
        if (context.Arguments.Has("--dry-run"))
            return DryRun(context, accounts, selection);

        context.Confirm($"Migrate {users.Count} user(s)?");

        ProgressDisplay? progress = context.Json ? null : new ProgressDisplay(context.Console.Out, context.Console.OutputIsTerminal);
        UserMigration migration = context.Migration(progress);
        if (users.Count > 1 || usersFrom is not null)
            return BatchCommand.Run(context, migration, progress, accounts, selection);
        var outcomes = new List<MigrationOutcome>();
        int exitCode = ExitCodes.Ok;
        foreach (UnixAccount account in accounts)
        {
            MigrationOutcome outcome = Outcomes.Run(account.Name, () => migration.Migrate(account, selection), out int code);
            progress?.EndLine();
            outcomes.Add(outcome);
            if (exitCode == ExitCodes.Ok)
                exitCode = code;
            Outcomes.Show(context, outcome, code);
        }
        if (context.Json)
            context.Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new MigrateReport(outcomes), ImaprootJson.Output.MigrateReport));
        return exitCode;
    }

    /// <summary>The users a --users-from file names: one a line; blank lines and lines starting with # are skipped.</summary>
    internal static IEnumerable<string> UsersFrom(CommandContext context, string? file)
    {
        if (file is null)
            return [];
        if (file == "-" && context.Arguments.Value("--mailboxes-from") == "-")
            throw CommandFailure.Usage("migrate: --users-from and --mailboxes-from cannot both read stdin");
        string text = InputFile.Read("--users-from", file, context.Console.In);
        return text.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0 && line[0] != '#');
    }

    private static int DryRun(CommandContext context, List<UnixAccount> accounts, MailboxSelection selection)
    {
        UserMigration migration = context.Migration();
        var plans = new List<PlanReport>();
        int exitCode = ExitCodes.Ok;
        foreach (UnixAccount account in accounts)
        {
            string user = account.Name;
            PlanReport plan;
            try
            {
                plan = PlanView.Report(migration.Plan(account, selection), context.Config.Migration);
            }
            catch (MigrationException e)
            {
                Imaproot.Fail(context.Console, ExitCodes.Failed, e.Message);
                if (exitCode == ExitCodes.Ok)
                    exitCode = ExitCodes.Failed;
                continue;
            }
            plans.Add(plan);
            if (!context.Json)
                PlanView.Print(context.Console.Out, plan);
            if (!plan.CanExecute)
            {
                Imaproot.Fail(context.Console, ExitCodes.Failed, $"{user}: the plan has {plan.Conflicts.Count} conflict(s)");
                if (exitCode == ExitCodes.Ok)
                    exitCode = ExitCodes.Failed;
            }
        }
        if (context.Json)
            context.Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new PlansReport(plans), ImaprootJson.Output.PlansReport));
        return exitCode;
    }
}
