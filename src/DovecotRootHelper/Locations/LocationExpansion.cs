using System.Text;

namespace DovecotRootHelper.Locations;

/// <summary>
/// Dovecot's variables in a location, filled in for one user: <c>~</c> at the start of a value,
/// <c>%u %n %d %h %%</c> and their long forms <c>%{user} %{username} %{domain} %{home}</c>.
/// The hook hands Dovecot finished paths, so the answer is the same for 2.3 and 2.4.
/// </summary>
internal sealed class LocationExpansion(string user, string? home)
{
    private static readonly string[] LongNames = ["user", "username", "domain", "home"];

    /// <summary>Null when every variable in <paramref name="value"/> is one this class knows, else the problem.</summary>
    public static string? CheckVariables(string value)
    {
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] != '%')
                continue;
            if (i + 1 >= value.Length)
                return "a lone '%' at the end";
            char c = value[i + 1];
            if (c is 'u' or 'n' or 'd' or 'h' or '%')
            {
                i++;
                continue;
            }
            if (c == '{')
            {
                int close = value.IndexOf('}', i + 2);
                string name = close < 0 ? "" : value[(i + 2)..close];
                if (!LongNames.Contains(name, StringComparer.Ordinal))
                    return $"unsupported variable '%{{{name}}}'";
                i = close;
                continue;
            }
            return $"unsupported variable '%{c}'";
        }
        return null;
    }

    public string Expand(string value)
    {
        var result = new StringBuilder(value.Length + 32);
        int start = 0;
        if (value == "~" || value.StartsWith("~/", StringComparison.Ordinal))
        {
            result.Append(Home());
            start = 1;
        }
        for (int i = start; i < value.Length; i++)
        {
            if (value[i] != '%')
            {
                result.Append(value[i]);
                continue;
            }
            char c = value[i + 1];
            string name;
            if (c == '{')
            {
                int close = value.IndexOf('}', i + 2);
                name = value[(i + 2)..close];
                i = close;
            }
            else
            {
                name = c.ToString();
                i++;
            }
            result.Append(name switch
            {
                "u" or "user" => user,
                "n" or "username" => LocalPart(),
                "d" or "domain" => Domain(),
                "h" or "home" => Home(),
                _ => "%",
            });
        }
        return result.ToString();
    }

    private string Home()
    {
        if (string.IsNullOrEmpty(home))
            throw new LocationException($"user {user} has no home directory, and the location needs one");
        if (home[0] != '/')
            throw new LocationException($"user {user}'s home '{home}' is not an absolute path");
        // Dovecot may expand %-variables again in what it is handed, and ':' separates location parameters.
        if (home.Contains('%', StringComparison.Ordinal))
            throw new LocationException($"user {user}'s home '{home}' contains '%'");
        // "//" would become "" and ~/IMAP the root's /IMAP; "/" itself, or "..", is no home to confine mail to.
        string trimmed = home.TrimEnd('/');
        if (trimmed.Length == 0)
            throw new LocationException($"user {user}'s home '{home}' is the root directory");
        if (trimmed.Split('/').Contains(".."))
            throw new LocationException($"user {user}'s home '{home}' climbs out with '..'");
        return trimmed;
    }

    private string LocalPart() => user.Contains('@', StringComparison.Ordinal) ? user[..user.IndexOf('@', StringComparison.Ordinal)] : user;

    private string Domain() => user.Contains('@', StringComparison.Ordinal) ? user[(user.IndexOf('@', StringComparison.Ordinal) + 1)..] : "";
}
