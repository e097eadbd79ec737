using System.Globalization;
using System.Text;
using DovecotRootHelper.Configuration;

namespace DovecotRootHelper.Migration;

/// <summary>
/// A notice mail to a user about their scheduled migration, from an administrator's template: a
/// mail as sendmail -t reads it (headers with a <c>To:</c>, a blank line, the body), in which
/// <c>%u</c> is the user, <c>%t</c> the migration's time in the machine's time zone, <c>%T</c> in
/// UTC, <c>%o</c> the outcome (after-notices: "done", or "not done: why"), <c>%%</c> a percent sign.
/// </summary>
public sealed record MigrationNotice(string User, string Text)
{
    private const int MaxTemplateSize = 64 * 1024;
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(30);

    /// <exception cref="MigrationException">The template cannot be read, or has no To: header.</exception>
    public static MigrationNotice Compose(string templatePath, string user, DateTime at, string outcome = "")
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(templatePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MigrationException($"{templatePath}: the notice template cannot be read ({e.Message}); nothing was sent");
        }
        if (bytes.Length > MaxTemplateSize)
            throw new MigrationException($"{templatePath}: the notice template is larger than {MaxTemplateSize} bytes; nothing was sent");
        string template = Encoding.UTF8.GetString(bytes).ReplaceLineEndings("\n");
        int headersEnd = template.IndexOf("\n\n", StringComparison.Ordinal);
        string headers = headersEnd < 0 ? template : template[..headersEnd];
        if (!headers.Split('\n').Any(h => h.StartsWith("To:", StringComparison.OrdinalIgnoreCase)))
            throw new MigrationException($"{templatePath}: the notice template has no To: header before its first blank line (write To: %u); nothing was sent");
        DateTime utc = at.ToUniversalTime();
        var text = new StringBuilder(template.Length + 64);
        for (int i = 0; i < template.Length; i++)
        {
            if (template[i] != '%' || i + 1 == template.Length)
            {
                text.Append(template[i]);
                continue;
            }
            i++;
            text.Append(template[i] switch
            {
                'u' => user,
                't' => utc.ToLocalTime().ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture),
                'T' => utc.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
                'o' => outcome,
                '%' => "%",
                char other => "%" + other,
            });
        }
        return new MigrationNotice(user, text.ToString());
    }

    /// <summary>Hands the mail to the local MTA; null when it took it, else why not (one line).</summary>
    public string? Send(NoticeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        DoveadmRun run = DoveadmCommand.Run(settings.Sendmail, User, SendTimeout, Text);
        return run.Outcome switch
        {
            DoveadmOutcome.NotConfigured => "[notices] sendmail is empty: no way to send",
            DoveadmOutcome.NotStarted => $"'{run.Command}' could not be started ({run.StartError})",
            DoveadmOutcome.TimedOut => $"'{run.Command}' hung: killed after {SendTimeout.TotalSeconds:0} s",
            _ when run.ExitCode == 0 => null,
            _ => $"'{run.Command}' exited with {run.ExitCode}: {run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "no output"}",
        };
    }
}
