namespace DovecotRootHelper.Testing;

/// <summary>debian/changelog's top entry: the repository's one version, which both programs print and the package carries.</summary>
public static class DebianChangelog
{
    public static string Version { get; } = Read();

    private static string Read()
    {
        string first = File.ReadLines(RepositoryRoot.Combine("debian", "changelog")).First();
        return first[(first.IndexOf('(', StringComparison.Ordinal) + 1)..first.IndexOf(')', StringComparison.Ordinal)];
    }
}
