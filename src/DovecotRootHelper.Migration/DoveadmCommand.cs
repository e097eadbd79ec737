using System.ComponentModel;
using System.Diagnostics;

namespace DovecotRootHelper.Migration;

/// <summary>
/// Runs one of the configured commands (<c>[migration] kick, who, flush</c>, <c>[notices]
/// sendmail</c>) for a user: split on blanks, <c>%u</c> replaced by the user in every word, no
/// shell, the input given (if any) on its stdin. What a failure means (Dovecot not
/// running, doveadm missing) is for the caller to decide.
/// </summary>
public static class DoveadmCommand
{
    public static DoveadmRun Run(string template, string user, TimeSpan? timeout = null, string? input = null)
    {
        string[] argv = template.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)
            .Select(word => word.Replace("%u", user, StringComparison.Ordinal))
            .ToArray();
        string shown = string.Join(' ', argv);
        if (argv.Length == 0)
            return new DoveadmRun(shown, DoveadmOutcome.NotConfigured, 0, "", "", null);
        var start = new ProcessStartInfo(argv[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string word in argv.Skip(1))
            start.ArgumentList.Add(word);
        try
        {
            using Process process = Process.Start(start) ?? throw new Win32Exception();
            if (input is not null)
                process.StandardInput.Write(input);
            process.StandardInput.Close();
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout ?? Timeout.InfiniteTimeSpan))
            {
                // The command and everything it started: a hung doveadm must not outlive the migration.
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                return new DoveadmRun(shown, DoveadmOutcome.TimedOut, 0, "", "", null);
            }
            return new DoveadmRun(shown, DoveadmOutcome.Exited, process.ExitCode, output.Result, error.Result, null);
        }
        catch (Win32Exception e)
        {
            return new DoveadmRun(shown, DoveadmOutcome.NotStarted, 0, "", "", e.Message);
        }
    }
}

/// <summary>How a doveadm command ended: its words as run, exit code and output, or why it did not run.</summary>
public sealed record DoveadmRun(string Command, DoveadmOutcome Outcome, int ExitCode, string Output, string Error, string? StartError)
{
    /// <summary>The program, as named in the configuration.</summary>
    public string Program => Command.Split(' ')[0];

    /// <summary>Why the command did not succeed, in one line; null when it exited 0 or none is configured.</summary>
    public string? Failure(TimeSpan timeout) => Outcome switch
    {
        DoveadmOutcome.NotConfigured => null,
        DoveadmOutcome.NotStarted => $"cannot run '{Command}': {StartError}",
        DoveadmOutcome.TimedOut => $"'{Command}' did not finish in {timeout.TotalSeconds:0} s; killed",
        _ when ExitCode == 0 => null,
        _ => $"'{Command}' exited {ExitCode}: {FirstLine(Error) ?? FirstLine(Output) ?? "no output"}",
    };

    private static string? FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
}

public enum DoveadmOutcome
{
    NotConfigured,
    NotStarted,
    TimedOut,
    Exited,
}
