using System.Text.RegularExpressions;

namespace DovecotRootHelper.Migration;

/// <summary>The filter languages that name mailboxes by path.</summary>
internal enum FilterSyntax
{
    /// <summary>procmail (.procmailrc and the files it includes): recipe actions and assignments; relative to MAILDIR, default the home.</summary>
    Procmail,

    /// <summary>sendmail's .forward: only absolute paths (a file delivery must be one).</summary>
    Forward,

    /// <summary>maildrop (.mailfilter): the words after to and cc, and assignments; relative to the home or MAILDIR.</summary>
    Maildrop,
}

/// <summary>
/// The paths a procmail, .forward or maildrop filter names as delivery targets, resolved lexically
/// to paths relative to the home: <c>$HOME</c>, <c>${HOME}</c>, <c>~</c> and <c>$MAILDIR</c> are
/// expanded, a word with any other variable is skipped. Nothing is looked up on disk, so a filter
/// cannot make root follow a link; a path reached only through a symlink is not recognised (the
/// plan never moves what lies behind one).
/// </summary>
internal static partial class FilterPathWords
{
    /// <summary>(line, word as written, path relative to the home) for every word that may be a delivery target inside the home.</summary>
    /// <param name="inherited">MAILDIRs an including procmail file set before it included this one.</param>
    public static List<(int Line, string Written, string Path)> Scan(string text, FilterSyntax syntax, string home, IReadOnlyList<string> inherited)
    {
        var lines = LogicalLines(text);
        List<string> bases = syntax == FilterSyntax.Forward ? [""] : [.. Maildirs(lines, home).Union(inherited)];
        var found = new List<(int, string, string)>();
        bool action = false;
        foreach ((int number, string raw) in lines)
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
                continue;
            IEnumerable<string> words = syntax switch
            {
                FilterSyntax.Forward => Words(line),
                FilterSyntax.Procmail => ProcmailTargets(line, ref action),
                _ => MaildropTargets(line),
            };
            foreach (string word in words)
            {
                foreach (string path in Resolve(word, home, syntax == FilterSyntax.Forward ? [] : bases, bases))
                    found.Add((number, word, path));
            }
        }
        return found;
    }

    /// <summary>
    /// The rc files a procmail file includes (INCLUDERC=, SWITCHRC=): (line, value as written, the
    /// paths relative to the home it can mean, none when it lies outside the home or holds a variable
    /// other than HOME and MAILDIR). A relative value is taken from MAILDIR, procmail's working
    /// directory, which may be the home or any MAILDIR set: each is a candidate.
    /// </summary>
    public static List<(int Line, string Written, List<string> Paths)> ProcmailIncludes(string text, string home, IReadOnlyList<string> inherited, out List<string> maildirs)
    {
        var lines = LogicalLines(text);
        List<string> bases = maildirs = [.. Maildirs(lines, home).Union(inherited)];
        var includes = new List<(int, string, List<string>)>();
        foreach ((int number, string line) in lines)
        {
            if (Assignment().Match(line) is { Success: true } m && m.Groups[1].Value is "INCLUDERC" or "SWITCHRC" && Words(m.Groups[2].Value).FirstOrDefault() is { } word)
                includes.Add((number, word, Resolve(word, home, bases, bases).Distinct(StringComparer.Ordinal).ToList()));
        }
        return includes;
    }

    /// <summary>More distinct MAILDIRs than a real filter sets; each multiplies the work per word.</summary>
    public const int MaildirLimit = 16;

    // The home ("") and every MAILDIR the file sets (relative to the home): procmail and maildrop
    // resolve relative targets against it wherever it is set, so every value counts.
    private static List<string> Maildirs(List<(int Number, string Text)> lines, string home)
    {
        var bases = new List<string> { "" };
        foreach ((_, string line) in lines)
        {
            if (Assignment().Match(line) is { Success: true } m && m.Groups[1].Value == "MAILDIR")
                bases.AddRange(Resolve(Words(m.Groups[2].Value).FirstOrDefault() ?? "", home, [""], []).Where(b => !bases.Contains(b)));
            if (bases.Count > MaildirLimit)
                throw new InvalidDataException($"sets MAILDIR to more than {MaildirLimit} places");
        }
        return bases;
    }

    private static List<string> ProcmailTargets(string line, ref bool action)
    {
        if (line.StartsWith(":0", StringComparison.Ordinal))
        {
            action = true;
            return [];
        }
        if (action)
        {
            if (line[0] == '*')
                return []; // a condition: a regular expression, not a target
            action = false;
            return line[0] is '{' or '!' ? [] : Words(line.TrimStart('|'));
        }
        return Assignment().Match(line) is { Success: true } m ? Words(m.Groups[2].Value) : [];
    }

    private static IEnumerable<string> MaildropTargets(string line)
    {
        if (Assignment().Match(line) is { Success: true } m)
            return Words(m.Groups[2].Value);
        List<string> words = Words(line);
        int at = words.FindIndex(w => w is "to" or "cc");
        return at < 0 ? [] : words.Skip(at + 1);
    }

    private static List<string> Words(string text) =>
        text.Split([' ', '\t', '"', '\'', '`', ',', ';', '(', ')', '|', '<', '>'], StringSplitOptions.RemoveEmptyEntries).ToList();

    /// <summary>Home-relative paths a word can mean: none when it leaves the home or holds an unknown variable.</summary>
    private static IEnumerable<string> Resolve(string word, string home, IReadOnlyList<string> relativeBases, IReadOnlyList<string> maildirs)
    {
        string w = word.Replace("${HOME}", home, StringComparison.Ordinal).Replace("$HOME", home, StringComparison.Ordinal);
        if (w == "~" || w.StartsWith("~/", StringComparison.Ordinal))
            w = home + w[1..];
        IEnumerable<string> expanded = [w];
        if (w.Contains("MAILDIR", StringComparison.Ordinal))
        {
            expanded = maildirs.Select(b => w.Replace("${MAILDIR}", MigrationLayout.Join(home, b), StringComparison.Ordinal)
                .Replace("$MAILDIR", MigrationLayout.Join(home, b), StringComparison.Ordinal));
        }
        foreach (string candidate in expanded)
        {
            if (candidate.Contains('$', StringComparison.Ordinal) || candidate.Length == 0)
                continue;
            if (candidate[0] == '/')
            {
                if (Normalize(candidate) is { } absolute && Below(absolute, Normalize(home) ?? home) is { } relative)
                    yield return relative;
                continue;
            }
            foreach (string b in relativeBases)
            {
                if (Normalize("/" + MigrationLayout.Join(b, candidate)) is { Length: > 1 } joined)
                    yield return joined[1..];
            }
        }
    }

    private static string? Below(string path, string home) =>
        path.StartsWith(home.TrimEnd('/') + "/", StringComparison.Ordinal) ? path[(home.TrimEnd('/').Length + 1)..] : null;

    /// <summary>Collapses //, . and .. lexically and drops a trailing / or /. (procmail's Maildir and MH marks); null when .. climbs above /.</summary>
    private static string? Normalize(string absolute)
    {
        var parts = new List<string>();
        foreach (string part in absolute.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
                continue;
            if (part == "..")
            {
                if (parts.Count == 0)
                    return null;
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return "/" + string.Join('/', parts);
    }

    // Lines joined at a trailing backslash, each with the number of its first physical line.
    private static List<(int Number, string Text)> LogicalLines(string text)
    {
        var result = new List<(int, string)>();
        string[] physical = text.Split('\n');
        var line = new System.Text.StringBuilder();
        for (int i = 0; i < physical.Length; i++)
        {
            int first = i + 1;
            line.Clear().Append(physical[i].TrimEnd('\r'));
            // A builder, not concatenation: a file of continuation lines must not cost quadratic time.
            while (line.Length > 0 && line[^1] == '\\' && i + 1 < physical.Length)
                line.Remove(line.Length - 1, 1).Append(physical[++i].TrimEnd('\r'));
            result.Add((first, line.ToString()));
        }
        return result;
    }

    [GeneratedRegex(@"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$")]
    private static partial Regex Assignment();
}
