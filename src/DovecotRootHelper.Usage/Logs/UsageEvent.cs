namespace DovecotRootHelper.Usage.Logs;

/// <summary>What one log line says a user did.</summary>
public enum UsageEventKind
{
    /// <summary>A command named the mailbox (SELECT, EXAMINE, STATUS, APPEND, the target of COPY or MOVE).</summary>
    Used,

    /// <summary>A LIST or LSUB with a pattern; <see cref="UsageEvent.Name"/> is the pattern as sent.</summary>
    Listed,

    /// <summary>mail_log: mailbox_create.</summary>
    Created,

    /// <summary>mail_log: mailbox_delete.</summary>
    Deleted,

    /// <summary>mail_log: mailbox_rename, <see cref="UsageEvent.Name"/> to <see cref="UsageEvent.NewName"/>.</summary>
    Renamed,
}

/// <summary>
/// One event from Dovecot's log. Mailbox names are on-disk names (modified UTF-7, '/' between
/// levels, the namespace prefix taken off), the names the migration plan uses.
/// </summary>
/// <param name="Time">Unix time in seconds.</param>
/// <param name="RunningUsecs">The command's running_usecs when the log has it (the stats exporter's lines), else 0.</param>
/// <param name="FullTree">For <see cref="UsageEventKind.Listed"/>: the pattern walks the whole root ("*" from the top), not only the subscriptions.</param>
public readonly record struct UsageEvent(
    UsageEventKind Kind, string User, string Command, string Name, string? NewName, long Time, long RunningUsecs, bool FullTree);
