using System.Globalization;
using System.Text;
using DovecotRootHelper.Configuration;
using DovecotRootHelper.Posix;

namespace DovecotRootHelper.Migration;

/// <summary>
/// A notice mail to a user about their scheduled migration, from an administrator's template: a
/// mail as sendmail -t reads it (headers with a <c>To:</c>, a blank line, the body), in which
/// <c>%u</c> is the user, <c>%t</c> the migration's time in the machine's time zone, <c>%T</c> in
/// UTC, <c>%o</c> the outcome (after-notices: "done", or "not done: why"), <c>%%</c> a percent sign.
/// </summary>
/// <remarks>
/// sendmail -t takes its recipients from the headers, and the reason a migration failed quotes
/// names the user chose (a mailbox called "x\nBcc: y" would add a header). So every value is put
/// in as one line of printable text (<see cref="OneLine"/>), and in the headers <c>%o</c> is only
/// "done" or "not done": the reason, text a user can influence, appears only in the body.
/// </remarks>
public sealed record MigrationNotice(string User, string Text)
{
    /// <summary>The most characters one substituted value contributes (a mail line may be 998 bytes).</summary>
    public const int MaxValueLength = 400;

    private const int MaxTemplateSize = 64 * 1024;
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The notice before a migration (<c>%o</c> is empty).</summary>
    /// <exception cref="MigrationException">The template is untrusted or unreadable, or has no To: header.</exception>
    public static MigrationNotice Compose(string templatePath, string user, DateTime at) =>
        Compose(templatePath, user, at, "", "");

    /// <summary>The notice after a migration: <paramref name="failure"/> null means it was done.</summary>
    /// <exception cref="MigrationException">The template is untrusted or unreadable, or has no To: header.</exception>
    public static MigrationNotice ComposeAfter(string templatePath, string user, DateTime at, string? failure) =>
        failure is null
            ? Compose(templatePath, user, at, "done", "done")
            : Compose(templatePath, user, at, "not done", "not done: " + failure);

    private static MigrationNotice Compose(string templatePath, string user, DateTime at, string headerOutcome, string bodyOutcome)
    {
        string template = ReadTemplate(templatePath);
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
            bool inHeaders = headersEnd < 0 || i < headersEnd;
            i++;
            text.Append(template[i] switch
            {
                'u' => OneLine(user),
                't' => UtcTimestamp.FormatLocal(utc),
                'T' => utc.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
                'o' => OneLine(inHeaders ? headerOutcome : bodyOutcome),
                '%' => "%",
                char other => "%" + other,
            });
        }
        return new MigrationNotice(user, text.ToString());
    }

    // The config's rule (TrustedFile): root's and writable by nobody else, as what it says goes to
    // every user scheduled, and opened without blocking, as run-due reads it holding its lock.
    private static string ReadTemplate(string templatePath)
    {
        ReadOnlyMemory<byte> bytes;
        try
        {
            bytes = TrustedFile.Read(templatePath, MaxTemplateSize, out _);
        }
        catch (UntrustedFileException e)
        {
            throw new MigrationException($"{templatePath}: {e.Problem}; a notice template must be a regular file of root's that nobody else may write: nothing was sent");
        }
        catch (IOException e)
        {
            throw new MigrationException($"{templatePath}: the notice template cannot be read ({e.Message}); nothing was sent");
        }
        return Encoding.UTF8.GetString(bytes.Span).ReplaceLineEndings("\n");
    }

    /// <summary>
    /// The value as one line of printable text (<see cref="PrintableText"/>: each control character
    /// as <c>\xNN</c>, the Unicode line, paragraph and bidirectional controls as <c>\u2028</c>...),
    /// and at most <see cref="MaxValueLength"/> characters, cut with "...".
    /// </summary>
    public static string OneLine(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new StringBuilder(Math.Min(value.Length, MaxValueLength + 8));
        foreach (char c in value)
        {
            if (text.Length >= MaxValueLength)
                return text.Append("...").ToString();
            PrintableText.Append(text, c);
        }
        return text.ToString();
    }

    /// <summary>Hands the mail to the local MTA; null when it took it, else why not (one line).</summary>
    public string? Send(NoticeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        CommandRun run = new ConfiguredCommand(settings.Sendmail, SendTimeout).Run(User, Text);
        return run.Outcome == CommandOutcome.NotConfigured ? "[notices] sendmail is empty: no way to send" : run.Failure();
    }
}
