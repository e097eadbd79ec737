using System.Text;

namespace DovecotRootHelper.Locations;

/// <summary>A location with the user's variables filled in; each Dovecot generation says how it is handed over.</summary>
public sealed record MailLocation(string Driver, string Path, IReadOnlyList<KeyValuePair<string, string?>> Parameters)
{
    /// <summary>The parameter's value, or null when absent (or a flag such as UTF8).</summary>
    public string? Parameter(string key)
    {
        foreach (KeyValuePair<string, string?> p in Parameters)
        {
            if (p.Key == key)
                return p.Value;
        }
        return null;
    }

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

    private static string Escape(string value) => value.Replace(":", "::", StringComparison.Ordinal);
}
