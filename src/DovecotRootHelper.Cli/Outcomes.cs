using DovecotRootHelper.Cli.Reports;
using DovecotRootHelper.Migration;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Cli;

/// <summary>Runs one migrate, resume or rollback and turns how it ended into a <see cref="MigrationOutcome"/> and an exit code.</summary>
internal static class Outcomes
{
    public static MigrationOutcome Run(string user, Func<MigrationResult> action, out int exitCode)
    {
        try
        {
            MigrationResult result = action();
            exitCode = ExitCodes.Ok;
            return new MigrationOutcome(user, result.FinalState.ToName(), result.StepsDone, result.Plan.Steps.Count, result.Messages, null);
        }
        catch (Exception e) when (IsExpected(e))
        {
            exitCode = ExitCodeFor(e);
            return new MigrationOutcome(user, null, 0, 0, [], Imaproot.OneLine(e.Message));
        }
    }

    /// <summary>The failures one user's migration or conversion can end in, as opposed to bugs.</summary>
    public static bool IsExpected(Exception e) =>
        e is MigrationException or JournalException or StateFileException or StateUnreadableException or IOException or UnauthorizedAccessException;

    /// <summary>The documented exit code of an expected failure.</summary>
    public static int ExitCodeFor(Exception e) => e switch
    {
        StateFileException or JournalException => ExitCodes.InvalidConfigOrState,
        StateUnreadableException { Unreachable: false } => ExitCodes.InvalidConfigOrState,
        AccountLookupException => ExitCodes.AccountLookupFailed,
        _ => ExitCodes.Failed,
    };

    /// <summary>The human summary on stdout, or the error line on stderr.</summary>
    public static void Show(CommandContext context, MigrationOutcome outcome, int exitCode)
    {
        if (outcome.Error is not null)
        {
            Imaproot.Fail(context.Console, exitCode, outcome.Error);
            return;
        }
        if (context.Json)
            return;
        var output = new VisibleText(context.Console.Out);
        foreach (string message in outcome.Messages)
            output.WriteLine($"{outcome.User}: {message}");
        output.WriteLine($"{outcome.User}: {outcome.State} ({outcome.StepsDone} of {outcome.StepCount} step(s) done)");
    }
}
