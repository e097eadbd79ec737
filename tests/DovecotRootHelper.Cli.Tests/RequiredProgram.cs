namespace DovecotRootHelper.Cli.Tests;

/// <summary>A program a test needs from a Debian package: its path, or a failure that says what to install (tests never skip).</summary>
internal static class RequiredProgram
{
    public static string Find(string path, string package)
    {
        if (!File.Exists(path))
            throw new InvalidOperationException($"{path} is missing: install the Debian package {package} (apt-get install {package}; ./build.sh test does)");
        return path;
    }
}
