using DovecotRootHelper.Cli.Reports;
using DovecotRootHelper.Migration;
using DovecotRootHelper.Posix;

namespace DovecotRootHelper.Cli.Commands;

/// <summary>
/// <c>imaproot resume USER [--rollback]</c> and <c>imaproot rollback USER</c>: finish or undo from the
/// journal; a user with a conversion on record (<see cref="ConvertCommand"/>) has that finished or undone.
/// </summary>
internal static class ResumeCommand
{
    public static int Run(CommandContext context)
    {
        // A user left migrating before the journal was written is planned again: with the same handling.
        context.Arguments.Allow("--rollback", "--filter-references", "--yes");
        context.Arguments.Expect(1, 1, "resume USER [--rollback] [--filter-references HOW]");
        bool rollback = context.Arguments.Has("--rollback");
        UnixAccount account = context.Account(context.Arguments.Operands[0]);
        if (ConvertCommand.HasRecord(context, account))
            return ConvertCommand.Finish(context, account, conversion => conversion.Resume(account, rollback));
        return Finish(context, account, (migration, account) => migration.Resume(account, rollback));
    }

    public static int RunRollback(CommandContext context)
    {
        context.Arguments.Allow("--yes");
        context.Arguments.Expect(1, 1, "rollback USER [--yes]");
        UnixAccount account = context.Account(context.Arguments.Operands[0]);
        if (ConvertCommand.HasRecord(context, account))
            return ConvertCommand.Finish(context, account, conversion => conversion.Rollback(account));
        return Finish(context, account, (migration, account) => migration.Rollback(account));
    }

    private static int Finish(CommandContext context, UnixAccount account, Func<UserMigration, UnixAccount, MigrationResult> action)
    {
        string user = account.Name;
        ProgressDisplay? progress = context.Json ? null : new ProgressDisplay(context.Console.Out, context.Console.OutputIsTerminal);
        UserMigration migration = context.Migration(progress);
        MigrationOutcome outcome = Outcomes.Run(user, () => action(migration, account), out int exitCode);
        progress?.EndLine();
        Outcomes.Show(context, outcome, exitCode);
        if (context.Json)
            context.Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new MigrateReport([outcome]), ImaprootJson.Output.MigrateReport));
        return exitCode;
    }
}
