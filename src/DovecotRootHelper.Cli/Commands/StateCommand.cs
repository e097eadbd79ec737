using DovecotRootHelper.Dovecot;
using DovecotRootHelper.Migration;
using DovecotRootHelper.PostgreSql;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Cli.Commands;

/// <summary>
/// <c>imaproot state import [FILE] [--replace]</c> and <c>state export [FILE]</c>: move a site's
/// state between the state file and the PostgreSQL database, whatever <c>[state] backend</c> says
/// (run them before switching it). Import reads FILE (default <c>[state] file</c>) whole and checked
/// and replaces the database's users in one transaction; from the configured state file it takes the
/// schedule along. Export writes the database's state to stdout, or to FILE as imaproot writes the
/// state file (atomically, with its index), and to the configured state file with the schedule.
/// Import then export gives the file back byte for byte.
/// </summary>
internal static class StateCommand
{
    /// <summary>The words after <c>state</c> and what runs each.</summary>
    public static readonly IReadOnlyDictionary<string, Func<CommandContext, int>> Verbs = new Dictionary<string, Func<CommandContext, int>>(StringComparer.Ordinal)
    {
        ["import"] = Import,
        ["export"] = Export,
    };

    public static int Run(CommandContext context)
    {
        string? verb = context.Arguments.Operands.Count > 0 ? context.Arguments.Operands[0] : null;
        return verb is not null && Verbs.TryGetValue(verb, out Func<CommandContext, int>? run)
            ? run(context)
            : throw CommandFailure.Usage("usage: imaproot state import [FILE] [--replace] | state export [FILE]");
    }

    private static int Import(CommandContext context)
    {
        context.Arguments.Allow("--replace", "--yes");
        context.Arguments.Expect(1, 2, "state import [FILE] [--replace]");
        string file = context.Arguments.Operands.Count == 2 ? Path.GetFullPath(context.Arguments.Operands[1]) : context.Config.StateFile;
        StateFileContents contents = StateFileReader.ReadAll(file, context.Config.Targets);
        if (!contents.IsValid)
            throw new CommandFailure(ExitCodes.InvalidConfigOrState, $"{contents.Problems[0].Message} ({contents.Problems.Count} problem(s); nothing was imported)");
        bool withSchedule = file == context.Config.StateFile;
        IReadOnlyList<ScheduledMigration>? schedule = null;
        if (withSchedule)
        {
            using MigrationSchedule fileSchedule = MigrationSchedule.Lock(context.Config.Migration.JournalDirectory);
            schedule = [.. fileSchedule.Entries];
        }
        using StateDatabase database = context.Database("imaproot state import");
        StateTransfer.Imported done = Transfer(() => StateTransfer.Import(database, contents, schedule, context.Arguments.Has("--replace")));
        context.Console.Out.WriteLine($"state import: {done.Users} user(s) and {done.Comments} other line(s) from {file} into the {database.Settings.Describe()}"
            + (withSchedule ? $"; {done.Scheduled} scheduled migration(s) from {MigrationSchedule.PathIn(context.Config.Migration.JournalDirectory)}" : ""));
        return ExitCodes.Ok;
    }

    private static int Export(CommandContext context)
    {
        context.Arguments.Allow("--yes");
        context.Arguments.Expect(1, 2, "state export [FILE]");
        using StateDatabase database = context.Database("imaproot state export");
        byte[] bytes = Transfer(() => StateTransfer.Export(database));
        if (context.Arguments.Operands.Count == 1)
        {
            context.Console.Out.Write(System.Text.Encoding.UTF8.GetString(bytes));
            return ExitCodes.Ok;
        }
        string file = Path.GetFullPath(context.Arguments.Operands[1]);
        bool withSchedule = file == context.Config.StateFile;
        IReadOnlyList<ScheduledMigration> schedule = withSchedule ? Transfer(() => StateTransfer.Schedule(database)) : [];
        int users;
        using (StateFileWriter writer = StateFileWriter.Lock(file, withSchedule ? UserdbOverlay.For(context.Config) : null, context.Config.Targets))
        {
            writer.Publish(bytes);
            users = writer.Read().Count;
        }
        string scheduled = "";
        if (withSchedule)
        {
            using MigrationSchedule fileSchedule = MigrationSchedule.Lock(context.Config.Migration.JournalDirectory);
            fileSchedule.Cancel([.. fileSchedule.Entries.Select(e => e.User)]);
            foreach (ScheduledMigration entry in schedule)
                fileSchedule.Schedule([entry.User], entry.At, entry.Notify, entry.To);
            scheduled = $"; {schedule.Count} scheduled migration(s) to {fileSchedule.Path}";
        }
        context.Console.Out.WriteLine($"state export: {users} user(s) from the {database.Settings.Describe()} to {file}{scheduled}");
        return ExitCodes.Ok;
    }

    private static T Transfer<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (StateDatabaseException e)
        {
            throw new CommandFailure(e.Unreachable ? ExitCodes.Failed : ExitCodes.InvalidConfigOrState, e.Message);
        }
    }
}
