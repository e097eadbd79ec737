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

    /// <summary>
    /// One of ours whose mailbox name is not known for sure: Dovecot cut it ("..." past 64 bytes),
    /// or the line reads two ways (see MailLogMessage). No event; not malformed either.
    /// </summary>
    Uncertain,

    /// <summary>A mailbox outside the user's own namespace (another prefix): nothing the migration moves.</summary>
    OtherNamespace,
}
