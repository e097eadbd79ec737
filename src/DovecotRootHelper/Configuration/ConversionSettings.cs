namespace DovecotRootHelper.Configuration;

/// <summary>
/// The [conversion] section (imaproot only): how imaproot runs Dovecot's own <c>doveadm</c> to copy a
/// user's mail into a target location (<c>doveadm</c>, a command prefix split on blanks, run without
/// a shell) and how long one copy may take (<c>sync-timeout</c>).
/// </summary>
public sealed record ConversionSettings(string Doveadm, TimeSpan SyncTimeout)
{
    public static ConversionSettings Default { get; } = new("doveadm", TimeSpan.FromHours(12));
}
