using System.Text;

namespace DovecotRootHelper.Dovecot;

/// <summary>
/// A location template's variables (<c>%u %n %d %h %%</c> and <c>%{user} %{username} %{domain} %{home}</c>,
/// checked when the template was parsed) written in one Dovecot generation's own syntax, for files
/// Dovecot expands itself. <c>~</c> is left for Dovecot.
/// </summary>
public static class DovecotVariables
{
    public static string Translate(string value, DovecotGeneration generation)
    {
        var text = new StringBuilder(value.Length + 16);
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] != '%' || i + 1 >= value.Length)
            {
                text.Append(value[i]);
                continue;
            }
            string name;
            if (value[i + 1] == '{')
            {
                int close = value.IndexOf('}', i + 2);
                if (close < 0)
                {
                    text.Append(value[i..]);
                    break;
                }
                name = value[(i + 2)..close];
                i = close;
            }
            else
            {
                name = value[i + 1].ToString();
                i++;
            }
            text.Append(name switch
            {
                "u" or "user" => generation.Variable("user"),
                "n" or "username" => generation.Variable("username"),
                "d" or "domain" => generation.Variable("domain"),
                "h" or "home" => generation.Variable("home"),
                _ => "%%",
            });
        }
        return text.ToString();
    }
}
