namespace DovecotRootHelper.Testing;

/// <summary>A private directory (mode 0755) removed with everything in it when the test ends.</summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>0644.</summary>
    public const UnixFileMode UserReadWriteOthersRead =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>0755.</summary>
    public const UnixFileMode UserAllOthersReadExecute = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("drh-test-").FullName;
        File.SetUnixFileMode(Path, UserAllOthersReadExecute);
    }

    public string Path { get; }

    public string Write(string name, string contents, UnixFileMode mode = UserReadWriteOthersRead)
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
        File.SetUnixFileMode(path, UserReadWriteOthersRead);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
