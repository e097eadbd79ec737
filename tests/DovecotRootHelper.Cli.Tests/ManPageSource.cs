using System.Text.RegularExpressions;

namespace DovecotRootHelper.Cli.Tests;

/// <summary>
/// A man page's scdoc source in packaging/man, read by its structure: <c># SECTION</c> and
/// <c>## Subsection</c> headings, and entries, a term line (<c>*--config* _path_</c>) followed by
/// its paragraph indented one tab deeper.
/// </summary>
internal sealed partial class ManPageSource
{
    private readonly string[] _lines;

    private ManPageSource(string path)
    {
        Path = path;
        _lines = File.ReadAllLines(path);
    }

    public string Path { get; }

    public static ManPageSource Named(string file) => new(RepositoryRoot.Combine("packaging", "man", file));

    /// <summary>The lines of <c># <paramref name="heading"/></c>, up to the next section.</summary>
    public IReadOnlyList<string> Section(string heading)
    {
        int start = Array.IndexOf(_lines, "# " + heading);
        Assert.True(start >= 0, $"{Path}: no section '# {heading}'");
        return [.. _lines.Skip(start + 1).TakeWhile(line => !line.StartsWith("# ", StringComparison.Ordinal))];
    }

    /// <summary>The subsections (<c>## NAME</c>) of a section's lines, by name.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Subsections(IReadOnlyList<string> section)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        for (int i = 0; i < section.Count; i++)
        {
            if (!section[i].StartsWith("## ", StringComparison.Ordinal))
                continue;
            result.Add(section[i][3..], [.. section.Skip(i + 1).TakeWhile(line => !line.StartsWith("## ", StringComparison.Ordinal))]);
        }
        return result;
    }

    /// <summary>Each entry at <paramref name="depth"/> tabs: its term line and the lines of its body (deeper than the term).</summary>
    public static IEnumerable<(string Term, IReadOnlyList<string> Body)> Entries(IReadOnlyList<string> lines, int depth = 0)
    {
        string indent = new('\t', depth);
        for (int i = 0; i + 1 < lines.Count; i++)
        {
            string line = lines[i];
            bool isTerm = line.StartsWith(indent + "*", StringComparison.Ordinal) || line.StartsWith(indent + "_", StringComparison.Ordinal);
            if (!isTerm || !lines[i + 1].StartsWith(indent + "\t", StringComparison.Ordinal))
                continue;
            var body = lines.Skip(i + 1).TakeWhile(l => l.Length == 0 || l.StartsWith(indent + "\t", StringComparison.Ordinal)).ToList();
            yield return (line[depth..], body);
        }
    }

    /// <summary>The bold words of a line: <c>*--config* _path_</c> gives <c>--config</c>.</summary>
    public static IEnumerable<string> Bold(string line) => BoldText().Matches(line).Select(m => m.Groups[1].Value);

    /// <summary>The options a line names in bold (<c>--name</c>, or <c>-h</c>).</summary>
    public static IEnumerable<string> Options(string line) => Bold(line).Where(word => OptionWord().IsMatch(word));

    [GeneratedRegex(@"(?<![\\\w])\*([^*\s][^*]*?)\*")]
    private static partial Regex BoldText();

    [GeneratedRegex(@"^(--[a-z][a-z-]*|-[a-z])$")]
    private static partial Regex OptionWord();
}
