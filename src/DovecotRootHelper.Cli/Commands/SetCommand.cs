using DovecotRootHelper.Cli.Reports;
using DovecotRootHelper.Locations;
using DovecotRootHelper.Migration;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Cli.Commands;

/// <summary>
/// <c>imaproot set USER legacy|migrated|TARGET [--note TEXT]</c>: changes the flag only, for new
/// users and hand-made moves or conversions; no file moves. Refused while a migration is under way or unfinished.
/// </summary>
internal static class SetCommand
{
    public static int Run(CommandContext context)
    {
        context.Arguments.Allow("--note", "--yes");
        context.Arguments.Expect(2, 2, "set USER legacy|migrated|TARGET [--note TEXT]");
        string user = context.Arguments.Operands[0];
        string word = context.Arguments.Operands[1];
        if (!StateFileSyntax.IsValidUserName(user))
            throw CommandFailure.Usage($"set: '{user}' cannot be a user name in the state file");
        TargetLocations targets = context.Config.Targets;
        if (!UserState.TryParse(word, targets, out UserState state))
            throw CommandFailure.Usage(targets.Count == 0
                ? $"set: {word}: expected legacy or migrated"
                : $"set: {word}: expected legacy, migrated or a target of [locations] ({string.Join(", ", targets.Names)})");
        if (state == UserState.Migrating)
            throw CommandFailure.NotAllowed($"{user}: only imaproot migrate sets migrating");
        string note = context.Arguments.Value("--note")
            ?? UtcTimestamp.Now() + " set by imaproot";
        if (note.Contains('\n', StringComparison.Ordinal) || note.Contains('\r', StringComparison.Ordinal))
            throw CommandFailure.Usage("set: --note must be one line");

        // Asked before taking the lock: the library may take the state file's lock itself. A
        // migration that starts after this question sets the user migrating under the lock before
        // writing its journal, which the check under the lock below sees.
        JournalSummary? pending = context.Migration().Pending(user);
        if (pending is not null)
            throw CommandFailure.NotAllowed($"{user}: a migration journal is pending ({pending.Path}, phase {pending.Phase}, {pending.StepsDone} of {pending.StepCount} steps): imaproot resume {user} or imaproot resume --rollback {user}");

        if (context.FindAccount(user) is { } account && context.Conversion().Journal(account) is { } conversion)
            throw CommandFailure.NotAllowed($"{user}: a conversion to {conversion.To} is recorded ({conversion.Path}, phase {ConversionJournal.Name(conversion.Phase)}): imaproot finalize, rollback or resume it first");

        StateEntry? previous;
        StateEntry written;
        IStateStore store = context.Store;
        using (IStateChange change = store.BeginChange())
        {
            StateEntry? current = change.Find(user);
            if (current?.State == UserState.Migrating)
                throw CommandFailure.NotAllowed($"{user}: is migrating (a migration is running or was interrupted): imaproot resume {user} or imaproot resume --rollback {user}");
            previous = current;
            written = change.SetState(user, state, note);
            change.Commit();
        }

        // Flushing before Dovecot reads the new userdb could let a lookup cache the old answer again.
        if (!string.IsNullOrWhiteSpace(context.Config.Migration.FlushCommand))
            store.WaitUntilServed();
        FlushOutcome flush = FlushOutcome.Flush(context.Config.Migration, user);
        if (flush.Warning is not null)
            context.Console.Warn($"{user}: auth cache flush: {flush.Warning}");
        string? previousName = previous?.State.ToName();
        if (context.Json)
        {
            var report = new SetReport(user, previousName, state.ToName(), written.Line, written.Note, flush);
            context.Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(report, ImaprootJson.Output.SetReport));
        }
        else
        {
            context.Console.Out.WriteLine($"{user}: {previousName ?? "not listed"} -> {state.ToName()} ({store.Where(written)})");
        }
        return ExitCodes.Ok;
    }
}
