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
    public static int Run(string[] args, CliConsole console, Func<string, UnixAccount?> findAccount)
    {
        try
        {
            Arguments arguments = Arguments.Parse(args);
            if (arguments.Has("--help") || arguments.Command == "help")
            {
                console.Out.Write(Usage.Text);
                return ExitCodes.Ok;
            }
            if (arguments.Has("--version"))
            {
                console.Out.Write($"imaproot {ProductVersion.Text}\n");
                return ExitCodes.Ok;
            }
            if (arguments.Command is null)
            {
                console.Error.Write(Usage.Text);
                return ExitCodes.Usage;
            }
            var context = new CommandContext(arguments, console, findAccount);
            return arguments.Command switch
            {
                "status" => StatusCommand.Run(context),
                "list" => ListCommand.Run(context),
                "set" => SetCommand.Run(context),
                "plan" => PlanCommand.Run(context),
                "migrate" => MigrateCommand.Run(context),
                "schedule" => ScheduleCommand.Run(context),
                "run-due" => RunDueCommand.Run(context),
                "resume" => ResumeCommand.Run(context),
                "rollback" => ResumeCommand.RunRollback(context),
                "check" => CheckCommand.Run(context),
                "reindex" => ReindexCommand.Run(context),
                "edit" => EditCommand.Run(context),
                "explain" => ExplainCommand.Run(context),
                "usage" => UsageCommand.Run(context),
                "candidates" => CandidatesCommand.Run(context),
                _ => Fail(console, ExitCodes.Usage, $"unknown command '{arguments.Command}' (imaproot help lists them)"),
            };
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
        console.Error.WriteLine("imaproot: " + OneLine(message));
        return exitCode;
    }

    public static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
