using System.Text;

namespace DovecotRootHelper.Locations;

/// <summary>A location with the user's variables filled in, and how each Dovecot generation is told about it.</summary>
public sealed record MailLocation(string Driver, string Path, IReadOnlyList<KeyValuePair<string, string?>> Parameters)
{
    /// <summary>The parameter's value, or null when absent.</summary>
    public string? Parameter(string key) => Parameters.FirstOrDefault(p => p.Key == key).Value;

    /// <summary>The 2.3 <c>mail_location</c> string, with <c>:</c> inside values written as <c>::</c>.</summary>
    public string ToDovecot23()
    {
        var text = new StringBuilder();
        text.Append(Driver).Append(':').Append(Escape(Path));
        foreach (KeyValuePair<string, string?> p in Parameters)
        {
            text.Append(':').Append(p.Key);
            if (p.Value is not null)
                text.Append('=').Append(Escape(p.Value));
        }
        return text.ToString();
    }

    /// <summary>The userdb fields Dovecot will be handed, lower-case keys, in the order they are listed.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> UserdbFields(DovecotGeneration generation)
    {
        if (generation == DovecotGeneration.V23)
            return [new("mail", ToDovecot23())];
        var fields = new List<KeyValuePair<string, string>>
        {
            new("mail_driver", Driver),
            new("mail_path", Path),
        };
        foreach (KeyValuePair<string, string?> p in Parameters)
            fields.Add(new(LocationTemplate.Dovecot24Settings[p.Key], p.Value ?? "yes"));
        return fields;
    }

    /// <summary>Keys that name the same setting as one of ours, so an earlier value must go rather than compete.</summary>
    public static IEnumerable<string> Aliases(string key) => key == "mail" ? ["mail_location"] : [];

    private static string Escape(string value) => value.Replace(":", "::", StringComparison.Ordinal);
}
