using DovecotRootHelper.Cli.Reports;
using DovecotRootHelper.Migration;

namespace DovecotRootHelper.Cli.Commands;

/// <summary>
/// <c>imaproot migrate USER... [--dry-run] [--yes]</c>: migrates the users one after the other;
/// one user's failure does not stop the next (each migration is independent and refuses before
/// touching anything when it cannot go ahead).
/// </summary>
internal static class MigrateCommand
{
    public static int Run(CommandContext context)
    {
        context.Arguments.Allow("--dry-run", "--yes", "--mailbox", "--mailboxes-from", "--filter-references");
        context.Arguments.Expect(1, int.MaxValue, "migrate USER... [--dry-run] [--yes] [--mailbox NAME]... [--mailboxes-from FILE] [--filter-references HOW]");
        List<string> users = context.Arguments.Operands.Distinct(StringComparer.Ordinal).ToList();
        foreach (string user in users)
            context.Account(user);
        MailboxSelection selection = MailboxSelectionArguments.From(context.Arguments, context.Console.In);
        if (context.Arguments.Has("--dry-run"))
            return DryRun(context, users, selection);

        if (!context.Arguments.Has("--yes"))
        {
            if (!context.Console.InputIsTerminal)
                throw CommandFailure.Usage("migrate: stdin is not a terminal, so nobody can confirm: add --yes");
            context.Console.Error.Write($"Migrate {users.Count} user(s)? [y/N] ");
            context.Console.Error.Flush();
            string answer = context.Console.In.ReadLine()?.Trim() ?? "";
            if (!answer.Equals("y", StringComparison.OrdinalIgnoreCase) && !answer.Equals("yes", StringComparison.OrdinalIgnoreCase))
                throw new CommandFailure(ExitCodes.Failed, "migrate: not confirmed; nothing done");
        }

        ProgressDisplay? progress = context.Json ? null : new ProgressDisplay(context.Console.Out, context.Console.OutputIsTerminal);
        UserMigration migration = context.Migration(progress);
        var outcomes = new List<MigrationOutcome>();
        int exitCode = ExitCodes.Ok;
        foreach (string user in users)
        {
            MigrationOutcome outcome = Outcomes.Run(user, () => migration.Migrate(user, selection), out int code);
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

    private static int DryRun(CommandContext context, List<string> users, MailboxSelection selection)
    {
        UserMigration migration = context.Migration();
        var plans = new List<PlanReport>();
        int exitCode = ExitCodes.Ok;
        foreach (string user in users)
        {
            PlanReport plan;
            try
            {
                plan = PlanView.Report(migration.Plan(user, selection), context.Config.Migration);
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
