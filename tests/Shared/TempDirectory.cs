namespace DovecotRootHelper.Testing;

/// <summary>A private directory (mode 0755) removed with everything in it when the test ends.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("drh-test-").FullName;
        File.SetUnixFileMode(Path, (UnixFileMode)0x1ED);
    }

    public string Path { get; }

    public string Write(string name, string contents, UnixFileMode mode = (UnixFileMode)0x1A4)
    {
        string path = System.IO.Path.Combine(Path, name);
        File.WriteAllText(path, contents);
        File.SetUnixFileMode(path, mode);
        return path;
    }

    public string WriteBytes(string name, byte[] contents)
    {
        string path = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(path, contents);
        File.SetUnixFileMode(path, (UnixFileMode)0x1A4);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
