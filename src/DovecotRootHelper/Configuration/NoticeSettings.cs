namespace DovecotRootHelper.Configuration;

/// <summary>
/// The [notices] section, read by imaproot only: the local MTA's sendmail command (split on
/// blanks, no shell; the mail on its stdin) and the templates of the mail a user gets before a
/// scheduled migration (<c>before</c>, needed by <c>schedule --notify</c>) and after it
/// (<c>after</c>, optional: done, or put back and why).
/// </summary>
public sealed record NoticeSettings(string Sendmail, string? BeforeTemplate, string? AfterTemplate)
{
    public static NoticeSettings Default { get; } = new("/usr/sbin/sendmail -t -oi", null, null);
}
