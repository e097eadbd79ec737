namespace DovecotRootHelper.Cli;

/// <summary>
/// The command line: a command word, its operands and options. Options may come anywhere
/// (before or after the command), as <c>--name value</c> or <c>--name=value</c>; <c>--</c> ends them.
/// </summary>
internal sealed class Arguments
{
    /// <summary>The options that take a value (imaproot(8) documents each).</summary>
    internal static readonly HashSet<string> ValueOptions = new(StringComparer.Ordinal)
    {
        "--config", "--state", "--note", "--mailbox", "--mailboxes-from", "--users-from", "--at", "--uid", "--home", "--filter-references", "--top", "--to",
    };

    /// <summary>The options that take none.</summary>
    internal static readonly HashSet<string> FlagOptions = new(StringComparer.Ordinal)
    {
        "--json", "--help", "--dry-run", "--yes", "--rollback", "--notify", "--list", "--cancel", "--version", "--replace",
    };

    /// <summary>Options every command accepts.</summary>
    private static readonly string[] GlobalOptions = ["--config", "--json", "--help"];

    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public string? Command { get; private set; }

    public List<string> Operands { get; } = [];

    public static Arguments Parse(IReadOnlyList<string> args)
    {
        var result = new Arguments();
        bool optionsEnded = false;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (!optionsEnded && arg == "--")
            {
                optionsEnded = true;
                continue;
            }
            if (!optionsEnded && arg == "-h")
                arg = "--help";
            if (!optionsEnded && arg.StartsWith('-') && arg.Length > 1)
            {
                int eq = arg.IndexOf('=', StringComparison.Ordinal);
                string name = eq < 0 ? arg : arg[..eq];
                if (ValueOptions.Contains(name))
                {
                    string value;
                    if (eq >= 0)
                        value = arg[(eq + 1)..];
                    else if (i + 1 < args.Count)
                        value = args[++i];
                    else
                        throw CommandFailure.Usage($"option {name} needs a value");
                    result.Add(name, value);
                }
                else if (FlagOptions.Contains(name) && eq < 0)
                    result._flags.Add(name);
                else
                    throw CommandFailure.Usage(FlagOptions.Contains(name) ? $"option {name} takes no value" : $"unknown option {name}");
                continue;
            }
            if (result.Command is null)
                result.Command = arg;
            else
                result.Operands.Add(arg);
        }
        return result;
    }

    public bool Has(string flag) => _flags.Contains(flag);

    /// <summary>The option's value; given twice is a usage error.</summary>
    public string? Value(string name)
    {
        if (!_values.TryGetValue(name, out List<string>? values))
            return null;
        if (values.Count > 1)
            throw CommandFailure.Usage($"option {name} given more than once");
        return values[0];
    }

    /// <summary>Every value of an option that may be repeated (<c>--mailbox</c>).</summary>
    public IReadOnlyList<string> Values(string name) => _values.TryGetValue(name, out List<string>? values) ? values : [];

    /// <summary>Refuses options the command does not take.</summary>
    public void Allow(params string[] options)
    {
        foreach (string name in _values.Keys.Concat(_flags))
        {
            if (!GlobalOptions.Contains(name) && !options.Contains(name))
                throw CommandFailure.Usage($"{Command}: unknown option {name}");
        }
    }

    /// <summary>Requires between <paramref name="min"/> and <paramref name="max"/> operands.</summary>
    public void Expect(int min, int max, string synopsis)
    {
        if (Operands.Count < min || Operands.Count > max)
            throw CommandFailure.Usage($"usage: imaproot {synopsis}");
    }

    private void Add(string name, string value)
    {
        if (!_values.TryGetValue(name, out List<string>? values))
            _values[name] = values = [];
        values.Add(value);
    }
}
