namespace DovecotRootHelper.Testing;

/// <summary>The checkout the tests run from, found by walking up from the test assembly to DovecotRootHelper.sln.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "DovecotRootHelper.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("cannot find the repository root (DovecotRootHelper.sln) above " + AppContext.BaseDirectory);
    }
}
