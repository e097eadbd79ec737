using DovecotRootHelper.Migration;

namespace DovecotRootHelper.Cli;

/// <summary>
/// Shows a migration's progress: on a terminal the current step is redrawn on one line; otherwise
/// (a log file, a pipe) every phase and step is a plain line.
/// </summary>
internal sealed class ProgressDisplay(TextWriter output, bool terminal) : IMigrationObserver
{
    private readonly RedrawnLine _line = new(output);

    public void PhaseStarted(string user, string description)
    {
        EndLine();
        output.WriteLine($"{user}: {description}");
    }

    public void StepStarted(string user, int index, int count, string description)
    {
        string text = $"{user}: [{index + 1}/{count}] {description}";
        if (!terminal)
        {
            output.WriteLine(text);
            return;
        }
        _line.Redraw(text);
    }

    /// <summary>Finishes a redrawn step line so the next output starts on its own line.</summary>
    public void EndLine() => _line.End();
}
