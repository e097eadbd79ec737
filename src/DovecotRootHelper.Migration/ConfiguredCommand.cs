using System.ComponentModel;
using System.Diagnostics;

namespace DovecotRootHelper.Migration;

/// <summary>
/// One program the admin configures (<c>[migration] kick, who, flush</c>, <c>[notices] sendmail</c>,
/// <c>[dovecot] doveconf, user-lookup</c>): the template split on blanks, <c>%u</c> replaced by the
/// user in every word, run without a shell, the input given (if any) on its stdin, and killed with
/// everything it started when it runs longer than <see cref="Timeout"/>. An empty template is "not
/// configured". What a failure means (Dovecot not running, doveadm missing) is for the caller to decide.
/// </summary>
public sealed class ConfiguredCommand(string template, TimeSpan timeout)
{
    /// <summary>The template as configured.</summary>
    public string Template { get; } = template ?? throw new ArgumentNullException(nameof(template));

    /// <summary>How long one run may take before it is killed.</summary>
    public TimeSpan Timeout { get; } = timeout;

    /// <summary>False when the template is empty or blank: there is nothing to run.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Template);

    /// <summary>The same program with <paramref name="arguments"/> (words, no <c>%u</c> meant) after the configured ones.</summary>
    public ConfiguredCommand WithArguments(string arguments) => new($"{Template} {arguments}", Timeout);

    /// <summary>The words run for <paramref name="user"/>.</summary>
    public string[] Words(string user) =>
        [.. Template.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(word => word.Replace("%u", user, StringComparison.Ordinal))];

    /// <summary>The command line run for <paramref name="user"/>, as messages show it.</summary>
    public string Shown(string user) => string.Join(' ', Words(user));

    /// <summary>Runs the command for <paramref name="user"/> (empty: no user) and waits for it, at most <see cref="Timeout"/>.</summary>
    public CommandRun Run(string user, string? input = null) => Run(Words(user), null, input);

    /// <summary>Runs the template's words followed by <paramref name="arguments"/>, with <paramref name="environment"/> added to imaproot's.</summary>
    public CommandRun Run(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment) =>
        Run([.. Words(""), .. arguments], environment, null);

    private CommandRun Run(string[] argv, IReadOnlyDictionary<string, string>? environment, string? input)
    {
        string shown = string.Join(' ', argv);
        if (argv.Length == 0)
            return new CommandRun(shown, Timeout, CommandOutcome.NotConfigured, 0, "", "", null);
        var start = new ProcessStartInfo(argv[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string word in argv.Skip(1))
            start.ArgumentList.Add(word);
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        try
        {
            using Process process = Process.Start(start) ?? throw new Win32Exception();
            if (input is not null)
                process.StandardInput.Write(input);
            process.StandardInput.Close();
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                // The command and everything it started: a hung doveadm must not outlive the migration.
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                return new CommandRun(shown, Timeout, CommandOutcome.TimedOut, 0, "", "", null);
            }
            return new CommandRun(shown, Timeout, CommandOutcome.Exited, process.ExitCode, output.Result, error.Result, null);
        }
        catch (Win32Exception e)
        {
            return new CommandRun(shown, Timeout, CommandOutcome.NotStarted, 0, "", "", e.Message);
        }
    }
}
