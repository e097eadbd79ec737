using DovecotRootHelper.Locations;

namespace DovecotRootHelper.Dovecot;

/// <summary>
/// What Dovecot's own userdb answers for one user (<c>doveadm user USER</c>: a <c>field value</c>
/// table, tab-separated), and the mail location that follows from it: on 2.3 the <c>mail</c> line
/// (doveadm prints the global <c>mail_location</c> when the userdb gives none); on 2.4 the userdb's
/// location settings over the global ones, which doveadm does not print.
/// </summary>
public sealed class UserdbAnswer
{
    private readonly Dictionary<string, string> _fields;

    private UserdbAnswer(Dictionary<string, string> fields) => _fields = fields;

    /// <summary>The user's home as Dovecot has it, or null.</summary>
    public string? Home => _fields.GetValueOrDefault("home");

    /// <summary>Reads doveadm user's table; the header line and lines without a tab are skipped.</summary>
    public static UserdbAnswer Parse(string output)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in output.Split('\n'))
        {
            int tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab <= 0 || line.StartsWith("field\t", StringComparison.Ordinal))
                continue;
            fields[line[..tab]] = line[(tab + 1)..].TrimEnd('\r');
        }
        return new UserdbAnswer(fields);
    }

    /// <summary>The location Dovecot will use for <paramref name="user"/>, variables filled in; null when it has none.</summary>
    /// <param name="global">Dovecot's global location settings (<see cref="GlobalMailLocation.Settings"/>).</param>
    public MailLocation? Location(string user, string? home, DovecotGeneration generation, IReadOnlyDictionary<string, string> global)
    {
        var effective = new Dictionary<string, string>(global, StringComparer.Ordinal);
        foreach (string setting in generation.LocationSettings)
        {
            if (_fields.TryGetValue(setting, out string? value))
                effective[setting] = value;
        }
        // 2.3's doveadm prints the effective location as the userdb field "mail".
        if (_fields.TryGetValue("mail", out string? mail))
            effective["mail_location"] = mail;
        MailLocation? location = ToLocation(generation.GlobalLocation(effective), user, home ?? Home);
        // A layout the userdb hands over is the user's even at the global default (fs): a Maildir's
        // own default is maildir++, which the location would otherwise fall back to.
        if (location is not null && location.Parameter("LAYOUT") is null && _fields.TryGetValue("mailbox_list_layout", out string? layout) && layout.Length > 0)
            location = location with { Parameters = [.. location.Parameters, new("LAYOUT", layout)] };
        return location;
    }

    /// <summary>The location a template text names for <paramref name="user"/>, or null for none.</summary>
    public static MailLocation? ToLocation(string? text, string user, string? home)
    {
        if (string.IsNullOrEmpty(text))
            return null;
        try
        {
            return LocationTemplate.Parse(text).Expand(user, home);
        }
        catch (LocationException)
        {
            // A location with variables this tool does not fill in: compared as written.
            return new MailLocation(text, "", []);
        }
    }

    /// <summary>Whether Dovecot would use the same location for both: the generation's userdb fields, parameters in any order.</summary>
    public static bool Same(MailLocation? a, MailLocation? b, DovecotGeneration generation) =>
        a is null || b is null ? a is null && b is null : Describe(a, generation) == Describe(b, generation);

    /// <summary>The location as the generation's userdb fields, parameters sorted: one line for messages and comparison.</summary>
    public static string Describe(MailLocation? location, DovecotGeneration generation)
    {
        if (location is null)
            return "no mail location";
        var sorted = location with { Parameters = [.. location.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal)] };
        return string.Join(' ', generation.UserdbFields(sorted).Select(f => $"{f.Key}={f.Value}"));
    }
}
