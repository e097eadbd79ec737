using DovecotRootHelper.Usage.Scan;

namespace DovecotRootHelper.Cli;

/// <summary>A scan's progress on a terminal, redrawn on one line of stderr; nothing otherwise.</summary>
internal sealed class ScanProgress(TextWriter output, bool terminal) : IScanObserver
{
    private readonly RedrawnLine _line = new(output);

    public void Progress(string path, long position, long length)
    {
        if (terminal)
            _line.Redraw($"{path}: {(length > 0 ? Math.Min(100, position * 100 / length) : 100)}% ({position >> 20} of {length >> 20} MB)");
    }

    public void EndLine() => _line.End();
}
