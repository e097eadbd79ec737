namespace DovecotRootHelper.Usage.Scan;

/// <summary>Progress of a scan, for a terminal display.</summary>
public interface IScanObserver
{
    /// <summary>Called after every commit and every few megabytes: <paramref name="position"/> of <paramref name="length"/> bytes of the file as stored (compressed for .gz).</summary>
    void Progress(string path, long position, long length);
}
