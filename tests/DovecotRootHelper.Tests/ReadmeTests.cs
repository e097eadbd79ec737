namespace DovecotRootHelper.Tests;

/// <summary>The README shows exactly the configuration the tests use.</summary>
public class ReadmeTests
{
    private static readonly string Root = RepositoryRoot.Path;

    public static TheoryData<string> Snippets()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(Path.Combine(Root, "packaging", "dovecot"), "*.conf").Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(Root, file));
        data.Add("packaging/dovecot-root-helper.conf");
        return data;
    }

    [Theory]
    [MemberData(nameof(Snippets))]
    public void TheReadmeQuotesEachPackagedSnippetVerbatim(string snippet) =>
        Assert.Contains(File.ReadAllText(Path.Combine(Root, snippet)), File.ReadAllText(Path.Combine(Root, "README.md")), StringComparison.Ordinal);

    [Fact]
    public void TheQuickStartHasExactlyTwoCommands()
    {
        string readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        int start = readme.IndexOf("## Quick start", StringComparison.Ordinal);
        int end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        string[] commands = readme[start..end].Split('\n').Where(line => line.StartsWith("    ", StringComparison.Ordinal) && line.Trim().Length > 0).ToArray();
        Assert.Equal(["./build.sh demo", "./build.sh test"], commands.Select(c => c.Trim()));
    }
}
