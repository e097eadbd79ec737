namespace DovecotRootHelper.Usage.Logs;

/// <summary>What <see cref="LogLineParser"/> made of a line.</summary>
public enum LineVerdict
{
    /// <summary>Not one of the lines the logging snippet writes (logins, other services...): ignored.</summary>
    Other,

    /// <summary>An event.</summary>
    Event,

    /// <summary>One of ours (an exported command, a mail_log mailbox event) that could not be parsed: counted and skipped.</summary>
    Malformed,

    /// <summary>A mailbox outside the user's own namespace (another prefix): nothing the migration moves.</summary>
    OtherNamespace,
}
