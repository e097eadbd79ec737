using DovecotRootHelper.Cli.Commands;
using DovecotRootHelper.Configuration;
using DovecotRootHelper.Locations;
using DovecotRootHelper.Migration;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;
using DovecotRootHelper.Usage.Store;

namespace DovecotRootHelper.Cli;

/// <summary>Parses the command line, runs one command, and turns every expected failure into one stderr line and an exit code.</summary>
internal static class Imaproot
{
    /// <summary>Every command word (besides <c>help</c>) and what runs it; imaproot(8) documents each, and a test holds them to it.</summary>
    public static readonly IReadOnlyDictionary<string, Func<CommandContext, int>> Commands = new Dictionary<string, Func<CommandContext, int>>(StringComparer.Ordinal)
    {
        ["status"] = StatusCommand.Run,
        ["list"] = ListCommand.Run,
        ["set"] = SetCommand.Run,
        ["plan"] = PlanCommand.Run,
        ["migrate"] = MigrateCommand.Run,
        ["convert"] = ConvertCommand.Run,
        ["finalize"] = ConvertCommand.RunFinalize,
        ["schedule"] = ScheduleCommand.Run,
        ["run-due"] = RunDueCommand.Run,
        ["resume"] = ResumeCommand.Run,
        ["rollback"] = ResumeCommand.RunRollback,
        ["check"] = CheckCommand.Run,
        ["reindex"] = ReindexCommand.Run,
        ["edit"] = EditCommand.Run,
        ["explain"] = ExplainCommand.Run,
        ["usage"] = UsageCommand.Run,
        ["candidates"] = CandidatesCommand.Run,
        ["db"] = DbCommand.Run,
        ["state"] = StateCommand.Run,
    };

    public static int Run(string[] args, CliConsole console, Func<string, UnixAccount?> findAccount)
    {
        try
        {
            Arguments arguments = Arguments.Parse(args);
            if (arguments.Has("--help") || arguments.Command == "help")
            {
                console.Out.Write(HelpText.Text);
                return ExitCodes.Ok;
            }
            if (arguments.Has("--version"))
            {
                console.Out.Write($"imaproot {ProductVersion.Text}\n");
                return ExitCodes.Ok;
            }
            if (arguments.Command is null)
            {
                console.Error.Write(HelpText.Text);
                return ExitCodes.Usage;
            }
            using var context = new CommandContext(arguments, console, findAccount);
            return Commands.TryGetValue(arguments.Command, out Func<CommandContext, int>? run)
                ? run(context)
                : Fail(console, ExitCodes.Usage, $"unknown command '{arguments.Command}' (imaproot help lists them)");
        }
        catch (CommandFailure e)
        {
            return Fail(console, e.ExitCode, e.Message);
        }
        catch (ConfigException e)
        {
            return Fail(console, ExitCodes.InvalidConfigOrState, e.Message);
        }
        catch (Exception e) when (e is StateFileException or JournalException)
        {
            return Fail(console, ExitCodes.InvalidConfigOrState, e.Message);
        }
        catch (StateUnreadableException e)
        {
            // A database that cannot be reached is a failure to retry; bad state lines are the admin's to fix.
            return Fail(console, e.Unreachable ? ExitCodes.Failed : ExitCodes.InvalidConfigOrState, e.Message);
        }
        catch (AccountLookupException e)
        {
            return Fail(console, ExitCodes.AccountLookupFailed, e.Message);
        }
        catch (UsageStoreException e)
        {
            return Fail(console, ExitCodes.Failed, e.Message);
        }
        catch (System.Data.Common.DbException e)
        {
            return Fail(console, ExitCodes.Failed, $"the usage database: {e.Message}");
        }
        catch (Exception e) when (e is MigrationException or LocationException or IOException or UnauthorizedAccessException)
        {
            return Fail(console, ExitCodes.Failed, e.Message);
        }
        catch (NotImplementedException e)
        {
            return Fail(console, ExitCodes.Failed, $"not available in this build: {e.Message}");
        }
    }

    /// <summary>Writes the one-line error and returns its exit code.</summary>
    public static int Fail(CliConsole console, int exitCode, string message)
    {
        // The message may quote names users chose: printable text (PrintableText).
        console.Error.WriteLine("imaproot: " + PrintableText.Escape(OneLine(message)));
        return exitCode;
    }

    public static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
