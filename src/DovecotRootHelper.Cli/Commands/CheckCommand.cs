using DovecotRootHelper.Cli.Reports;
using DovecotRootHelper.Configuration;
using DovecotRootHelper.Dovecot;
using DovecotRootHelper.Migration;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Cli.Commands;

/// <summary>
/// <c>imaproot check</c>: reads the config and the whole state file and reports every problem, each
/// with file:line, and whether the state file's index is current (logins use it only then); and
/// whether <c>[locations] legacy</c>, where set, is Dovecot's own mail location (doveconf). With the
/// state in PostgreSQL it reads the database instead (<see cref="StateDatabaseCheck"/>); whether
/// Dovecot follows the state is asked of Dovecot either way (<see cref="DovecotAgreement"/>).
/// </summary>
internal static class CheckCommand
{
    public static int Run(CommandContext context)
    {
        context.Arguments.Allow();
        context.Arguments.Expect(0, 0, "check");
        var problems = new List<CheckProblem>();
        var notes = new List<string>();
        var warnings = new List<string>();
        string? stateFile = null;
        string? database = null;
        int users = 0;
        StateFileIndexStatus? index = null;
        HelperConfig? config = null;
        try
        {
            config = context.Config;
        }
        catch (ConfigException e)
        {
            problems.AddRange(e.Problems.Select(p => new CheckProblem(p.Path ?? context.ConfigPath, p.Line, p.Message)));
        }

        if (config is not null)
        {
            // One doveconf for the legacy comparison and for what Dovecot runs.
            var doveconf = new Doveconf(config);
            (string? mismatch, string? warning) = LegacyLocationCheck.Run(config, doveconf);
            if (mismatch is not null)
                problems.Add(new CheckProblem(config.Path, 0, mismatch));
            if (warning is not null)
                warnings.Add(warning);
            if (config.Legacy is null)
                notes.Add("[locations] legacy is unset: legacy users keep Dovecot's own mail location");
            if (config.Backend == StateBackend.Postgresql)
            {
                if (StateDatabaseCheck.Run(context, config, problems, notes, out string name) is { } entries)
                {
                    users = entries.Count;
                    CheckDovecot(new DovecotAgreement(config, context.FindAccount, doveconf, context.Store), entries, config, "the PostgreSQL database", problems, warnings, notes);
                }
                database = name;
            }
            else
            {
                stateFile = CheckStateFile(context, config, doveconf, problems, warnings, notes, ref users, ref index);
            }
        }

        string stateName = stateFile ?? database ?? "";
        if (context.Json)
        {
            IndexReport? indexReport = index is null ? null : new IndexReport(index.Path, index.IsCurrent, index.Summary);
            var report = new CheckReport(context.ConfigPath, stateFile, problems.Count == 0 && warnings.Count == 0, users, problems, notes, indexReport) { Warnings = warnings, Database = database };
            context.Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(report, ImaprootJson.Output.CheckReport));
        }
        else
        {
            foreach (CheckProblem problem in problems)
                context.Console.Out.WriteLine(problem.Problem);
            foreach (string warning in warnings)
                context.Console.Out.WriteLine("warning: " + warning);
            foreach (string note in notes)
                context.Console.Out.WriteLine("note: " + note);
            // A state file nobody has changed through imaproot yet has no index: nothing to say.
            if (index is { Exists: true })
                context.Console.Out.WriteLine($"index: {index.Path}: {index.Summary}");
            if (problems.Count == 0)
            {
                context.Console.Out.WriteLine(warnings.Count == 0
                    ? $"ok: {context.ConfigPath}, {stateName} ({users} user(s))"
                    : $"checked with {warnings.Count} warning(s), not ok: {context.ConfigPath}, {stateName} ({users} user(s))");
            }
        }
        if (problems.Count == 0)
            return ExitCodes.Ok;
        return Imaproot.Fail(context.Console, ExitCodes.InvalidConfigOrState, $"{problems.Count} problem(s) found");
    }

    // The state file: its every line, its index, the all-services userdb made from it, and Dovecot's agreement.
    private static string CheckStateFile(CommandContext context, HelperConfig config, Doveconf doveconf, List<CheckProblem> problems, List<string> warnings, List<string> notes, ref int users, ref StateFileIndexStatus? index)
    {
        string stateFile = config.StateFile;
        StateFileContents? contents = null;
        try
        {
            contents = StateFileReader.ReadAll(stateFile, config.Targets);
        }
        catch (StateFileException e)
        {
            problems.Add(new CheckProblem(e.Path, e.Line, e.Message));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The state file itself could not be read: a problem, never a note about its index.
            problems.Add(new CheckProblem(stateFile, 0, e.Message));
        }
        if (contents is not null)
        {
            users = contents.Entries.Count;
            problems.AddRange(contents.Problems.Select(p => new CheckProblem(p.Path, p.Line, p.Message)));
            foreach (StateEntry entry in contents.Entries.Where(e => e.State == UserState.Migrating))
                notes.Add($"{entry.User} is migrating (line {entry.Line}): logins refused until imaproot resume {entry.User} or imaproot resume --rollback {entry.User}");
            if (contents.IsValid)
            {
                CheckDovecot(new DovecotAgreement(config, context.FindAccount, doveconf), contents.Entries, config, "the state file", problems, warnings, notes);
                index = InspectIndex(stateFile, problems);
                if (UserdbOverlay.For(config) is { } userdb)
                {
                    try
                    {
                        problems.AddRange(userdb.Disagreements(contents).Select(d => new CheckProblem(userdb.Path, 0, d)));
                    }
                    catch (ConfigException e)
                    {
                        problems.Add(new CheckProblem(config.Path, 0, $"{config.Path}: {e.Message}"));
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        problems.Add(new CheckProblem(userdb.Path, 0, $"{userdb.Path}: cannot compare with {stateFile}: {e.Message}"));
                    }
                }
            }
        }
        return stateFile;
    }

    // What Dovecot itself runs (doveconf -n) and, where its userdb decides, its answers for a listed
    // legacy, a listed migrated and an unlisted user against the state file's decisions.
    private static void CheckDovecot(DovecotAgreement dovecot, IReadOnlyList<StateEntry> entries, HelperConfig config, string state, List<CheckProblem> problems, List<string> warnings, List<string> notes)
    {
        if (!dovecot.Asked)
        {
            warnings.Add($"{config.Path}: [dovecot] doveconf is empty: whether Dovecot follows {state} is not checked");
            return;
        }
        // As for legacy: a Dovecot that cannot be asked is a warning, never an ok; a migration refuses.
        if (dovecot.Unreadable is { } unreadable)
        {
            warnings.Add($"whether Dovecot follows {state} is not checked: {unreadable}");
            return;
        }
        IReadOnlyList<string> setup = dovecot.SetupProblems();
        problems.AddRange(setup.Select(p => new CheckProblem(config.Path, 0, p)));
        if (dovecot.Describe() is { } runs)
            notes.Add($"Dovecot runs {runs}");
        if (dovecot.RefusalProblem() is { } refusal)
            problems.Add(new CheckProblem(config.Path, 0, refusal));
        if (setup.Count > 0)
            return;
        if (!dovecot.AsksUserdb && (config.UserdbFile is not null || config.Backend == StateBackend.Postgresql) && config.UserLookupCommand.Length == 0)
            warnings.Add($"{config.Path}: [dovecot] user-lookup is empty: Dovecot's userdb answers are not compared with {state}");
        problems.AddRange(dovecot.SampleDisagreements(entries).Select(d => new CheckProblem(config.Path, 0, d)));
    }

    // The index is only an optimisation: one that cannot be looked at is a note, logins scan the
    // whole file. The state file it re-reads failing is a problem, as above.
    private static StateFileIndexStatus? InspectIndex(string stateFile, List<CheckProblem> problems)
    {
        try
        {
            return StateFileIndex.Inspect(stateFile);
        }
        catch (StateFileException e)
        {
            problems.Add(new CheckProblem(e.Path, e.Line, e.Message));
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new StateFileIndexStatus(StateFileIndex.PathFor(stateFile), true, false, $"unreadable ({e.Message}): logins scan the whole state file");
        }
    }
}
