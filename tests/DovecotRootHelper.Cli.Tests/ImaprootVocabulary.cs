using DovecotRootHelper.Cli.Commands;

namespace DovecotRootHelper.Cli.Tests;

/// <summary>
/// The commands and options imaproot knows, asked of the code itself: the command table, the
/// parser's option sets, and which options each command accepts, found by running each command
/// in this process with each option (against a config that does not exist, so nothing is done)
/// and seeing whether the parser calls it unknown.
/// </summary>
internal static class ImaprootVocabulary
{
    private const string NoConfig = "/nonexistent/dovecot-root-helper.conf";

    /// <summary>Every command as typed: <c>status</c>, ..., <c>usage scan</c>, <c>usage show</c>, <c>db init</c>, <c>db upgrade</c>, <c>state import</c>, <c>state export</c>, <c>help</c>.</summary>
    public static IReadOnlyList<string> Commands { get; } =
    [
        .. Imaproot.Commands.Keys.SelectMany(command => command switch
        {
            "usage" => UsageCommand.Verbs.Keys.Select(verb => $"usage {verb}"),
            "db" => DbCommand.Verbs.Keys.Select(verb => $"db {verb}"),
            "state" => StateCommand.Verbs.Keys.Select(verb => $"state {verb}"),
            _ => [command],
        }),
        "help",
    ];

    /// <summary>Every option the parser knows; <c>-h</c> is its spelling of <c>--help</c>.</summary>
    public static IReadOnlyList<string> Options { get; } = [.. Arguments.ValueOptions, .. Arguments.FlagOptions, "-h"];

    /// <summary>The options every command accepts (<c>help</c>, which ignores them all, aside).</summary>
    public static IReadOnlyList<string> GlobalOptions { get; } =
        [.. Options.Where(option => Commands.Where(command => command != "help").All(command => Accepts(command, option)))];

    /// <summary>The options <paramref name="command"/> accepts besides the global ones.</summary>
    public static IReadOnlyList<string> OptionsOf(string command) =>
        [.. Options.Except(GlobalOptions).Where(option => Accepts(command, option))];

    public static bool Accepts(string command, string option)
    {
        string[] words = [.. command.Split(' '), option];
        if (Arguments.ValueOptions.Contains(option))
            words = [.. words, "/nonexistent/value"];
        CliRun run = InProcessImaproot.Run(NoConfig, _ => null, words);
        return !run.Stderr.Contains($"unknown option {option}", StringComparison.Ordinal);
    }
}
