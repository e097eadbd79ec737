using DovecotRootHelper.Usage.Scan;

namespace DovecotRootHelper.Cli;

/// <summary>A scan's progress on a terminal, redrawn on one line of stderr; nothing otherwise.</summary>
internal sealed class ScanProgress(TextWriter output, bool terminal) : IScanObserver
{
    private bool _lineOpen;

    public void Progress(string path, long position, long length)
    {
        if (!terminal)
            return;
        long percent = length > 0 ? Math.Min(100, position * 100 / length) : 100;
        output.Write($"\r\u001b[K{path}: {percent}% ({position >> 20} of {length >> 20} MB)");
        output.Flush();
        _lineOpen = true;
    }

    public void EndLine()
    {
        if (!_lineOpen)
            return;
        output.WriteLine();
        _lineOpen = false;
    }
}
