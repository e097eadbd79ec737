using DovecotRootHelper.Migration;

namespace DovecotRootHelper.Cli;

/// <summary>
/// Shows a migration's progress: on a terminal the current step is redrawn on one line; otherwise
/// (a log file, a pipe) every phase and step is a plain line. A migration of more than 1,000 steps
/// shows its first and last step and in between at most ten steps a second on a terminal, one in
/// a hundred in a log, so 100,000 mailboxes neither flood the log nor spend their time drawing.
/// </summary>
internal sealed class ProgressDisplay(TextWriter output, bool terminal) : IMigrationObserver
{
    private const int ShowEveryStepUpTo = 1000;
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(100);

    private readonly RedrawnLine _line = new(output);
    private long _drawnAt;

    public void PhaseStarted(string user, string description)
    {
        EndLine();
        output.WriteLine($"{user}: {PrintableText.Escape(description)}");
    }

    public void StepStarted(string user, int index, int count, string description)
    {
        if (!Shown(index, count))
            return;
        // The step names paths users chose; the redraw's own control sequence stays outside it.
        string text = $"{user}: [{index + 1}/{count}] {PrintableText.Escape(description)}";
        if (!terminal)
        {
            output.WriteLine(text);
            return;
        }
        _line.Redraw(text);
    }

    private bool Shown(int index, int count)
    {
        if (count <= ShowEveryStepUpTo || index == 0 || index == count - 1)
            return true;
        if (!terminal)
            return index % (count / 100) == 0;
        if (System.Diagnostics.Stopwatch.GetElapsedTime(_drawnAt) < RedrawInterval)
            return false;
        _drawnAt = System.Diagnostics.Stopwatch.GetTimestamp();
        return true;
    }

    /// <summary>Finishes a redrawn step line so the next output starts on its own line.</summary>
    public void EndLine() => _line.End();
}
