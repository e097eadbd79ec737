namespace DovecotRootHelper.Cli;

/// <summary>One line of a terminal redrawn in place (progress), and ended before other output.</summary>
internal sealed class RedrawnLine(TextWriter output)
{
    private bool _open;

    public void Redraw(string text)
    {
        output.Write("\r\u001b[K" + text);
        output.Flush();
        _open = true;
    }

    /// <summary>Finishes a redrawn line so the next output starts on its own line.</summary>
    public void End()
    {
        if (!_open)
            return;
        output.WriteLine();
        _open = false;
    }
}
