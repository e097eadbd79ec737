using System.ComponentModel;
using System.Diagnostics;
using DovecotRootHelper.Cli.Reports;

namespace DovecotRootHelper.Cli;

/// <summary>
/// Runs one of the configured doveadm commands for a user: <c>%u</c> replaced, split on blanks,
/// no shell. Dovecot not running or doveadm missing is normal on some hosts, so a failure is a
/// warning for the caller to print, never an exception.
/// </summary>
internal static class DovecotCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static FlushOutcome Run(string template, string user)
    {
        string[] argv = template.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)
            .Select(word => word.Replace("%u", user, StringComparison.Ordinal))
            .ToArray();
        string shown = string.Join(' ', argv);
        if (argv.Length == 0)
            return new FlushOutcome(shown, null, "no command configured");
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
            using Process process = Process.Start(start)!;
            process.StandardInput.Close();
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                return new FlushOutcome(shown, null, $"'{shown}' did not finish in {Timeout.TotalSeconds:0} s; killed");
            }
            if (process.ExitCode == 0)
                return new FlushOutcome(shown, 0, null);
            string said = FirstLine(stderr.Result) ?? FirstLine(stdout.Result) ?? "no output";
            return new FlushOutcome(shown, process.ExitCode, $"'{shown}' exited {process.ExitCode}: {said}");
        }
        catch (Win32Exception e)
        {
            return new FlushOutcome(shown, null, $"cannot run '{shown}': {e.Message}");
        }
    }

    private static string? FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
}
