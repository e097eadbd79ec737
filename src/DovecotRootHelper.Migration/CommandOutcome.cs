namespace DovecotRootHelper.Migration;

/// <summary>How a <see cref="ConfiguredCommand"/> run ended.</summary>
public enum CommandOutcome
{
    /// <summary>The template is empty: nothing was run.</summary>
    NotConfigured,

    /// <summary>The program could not be started (missing, not executable).</summary>
    NotStarted,

    /// <summary>It ran past its timeout and was killed.</summary>
    TimedOut,

    /// <summary>It exited, with any status.</summary>
    Exited,
}
