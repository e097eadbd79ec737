using DovecotRootHelper.Cli.Commands;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Cli.Tests;

/// <summary>
/// packaging/bash-completion/imaproot, run by bash as readline would run it, with bash-completion
/// loaded and without it: commands, each command's options (those the code accepts), states,
/// users from the passwd database and file names.
/// </summary>
public class BashCompletionCompletes
{
    public static TheoryData<bool> Modes => [true, false];

    [Theory]
    [MemberData(nameof(Modes))]
    public void TheCommandsTheCodeKnows(bool bashCompletion)
    {
        Assert.Equal(Sorted(ImaprootVocabulary.Commands.Select(c => c.Split(' ')[0]).Distinct()), Complete(bashCompletion, ""));
        Assert.Equal(["schedule", "set", "state", "status"], Complete(bashCompletion, "s"));
        Assert.Equal(["status"], Complete(bashCompletion, "--json", "--config", "/etc/x.conf", "statu"));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void EachCommandsOptionsAsTheCodeAcceptsThem(bool bashCompletion)
    {
        IEnumerable<string> global = ImaprootVocabulary.GlobalOptions.Where(o => o.StartsWith("--", StringComparison.Ordinal));
        Assert.Equal(Sorted(global), Complete(bashCompletion, "--"));
        foreach (string command in ImaprootVocabulary.Commands.Where(c => c != "help"))
        {
            IEnumerable<string> expected = global.Concat(ImaprootVocabulary.OptionsOf(command));
            Assert.True(Sorted(expected).SequenceEqual(Complete(bashCompletion, [.. command.Split(' '), "--"])),
                $"imaproot {command} --: expected [{string.Join(' ', Sorted(expected))}], completed [{string.Join(' ', Complete(bashCompletion, [.. command.Split(' '), "--"]))}]");
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void StatesAndSubcommands(bool bashCompletion)
    {
        string[] states = [.. UserState.Builtin.Select(s => s.ToName())];
        Assert.Equal(Sorted(states), Complete(bashCompletion, "list", "--state", ""));
        Assert.Equal(Sorted(states.Where(s => s != "migrating")), Complete(bashCompletion, "set", "root", ""));
        Assert.Equal(["migrated", "migrating"], Complete(bashCompletion, "list", "--state", "mi"));
        Assert.Equal(["confirmed", "refuse", "symlink"], Complete(bashCompletion, "migrate", "--filter-references", ""));
        Assert.Equal(Sorted(UsageCommand.Verbs.Keys), Complete(bashCompletion, "usage", ""));
        Assert.Equal(Sorted(DbCommand.Verbs.Keys), Complete(bashCompletion, "db", ""));
        Assert.Empty(Complete(bashCompletion, "set", "root", "legacy", ""));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void UsersFromThePasswdDatabase(bool bashCompletion)
    {
        foreach (string[] words in new[] { ["status", "ro"], ["set", "ro"], ["migrate", "alice", "ro"], ["usage", "show", "ro"], ["schedule", "--cancel", "ro"], new[] { "explain", "--uid", "0", "ro" } })
            Assert.Contains("root", Complete(bashCompletion, words));
        Assert.Empty(Complete(bashCompletion, "plan", "root", "ro"));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void FileNames(bool bashCompletion)
    {
        using var directory = new TempDirectory();
        string config = directory.Write("helper.conf", "");
        string users = directory.Write("users.txt", "alice\n");
        string prefix = directory.Path + "/";
        Assert.Equal([config], Complete(bashCompletion, "--config", prefix + "he"));
        Assert.Equal([users], Complete(bashCompletion, "migrate", "--users-from", prefix + "us"));
        Assert.Contains("-", Complete(bashCompletion, "migrate", "--users-from", ""));
        Assert.Equal([users], Complete(bashCompletion, "plan", "root", "--mailboxes-from", prefix + "us"));
        Assert.Equal([users], Complete(bashCompletion, "usage", "scan", prefix + "us"));
        // --config=PATH arrives as three words, readline splitting at '='.
        Assert.Equal([config], CompleteLine(bashCompletion, $"imaproot list --config={prefix}he", ["list", "--config", "=", prefix + "he"]));
    }

    private static List<string> Complete(bool bashCompletion, params string[] words) =>
        CompleteLine(bashCompletion, string.Join(' ', ["imaproot", .. words]), words);

    /// <summary>What the completion offers for the last of <paramref name="words"/> (after "imaproot"), sorted.</summary>
    private static List<string> CompleteLine(bool bashCompletion, string line, string[] words)
    {
        string bash = RequiredProgram.Find("/bin/bash", "bash");
        string library = RequiredProgram.Find("/usr/share/bash-completion/bash_completion", "bash-completion");
        const string Script = """
            if [ "$1" = yes ]; then . "$2" || exit 97; fi
            . "$3" || exit 98
            COMP_LINE=$4
            COMP_POINT=${#COMP_LINE}
            shift 4
            COMP_WORDS=(imaproot "$@")
            COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
            completer=$(complete -p imaproot | sed -n 's/.* -F \([^ ]*\) .*/\1/p')
            [ -n "$completer" ] || exit 99
            "$completer" imaproot "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
            printf '%s\n' "${COMPREPLY[@]}"
            """;
        string completion = RepositoryRoot.Combine("packaging", "bash-completion", "imaproot");
        NativeRun run = NativeProcess.Run(bash, ["--norc", "--noprofile", "-c", Script, "bash", bashCompletion ? "yes" : "no", library, completion, line, .. words],
            new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["HOME"] = "/root", ["LC_ALL"] = "C.UTF-8" });
        Assert.True(run.ExitCode == 0 && run.Stderr.Length == 0, $"completing '{line}': exit {run.ExitCode}: {run.Stderr}");
        return Sorted(run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static List<string> Sorted(IEnumerable<string> items) => [.. items.Order(StringComparer.Ordinal)];
}
