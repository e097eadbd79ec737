using System.Text;

namespace DovecotRootHelper.Dovecot;

/// <summary>
/// A location template's variables (<c>%u %n %d %h %%</c> and <c>%{user} %{username} %{domain} %{home}</c>,
/// checked when the template was parsed) written in one Dovecot generation's own syntax, for files
/// Dovecot expands itself. <c>~</c> is left for Dovecot.
/// </summary>
public static class DovecotVariables
{
    public static string Translate(string value, DovecotGeneration generation) => Rewrite(value, generation.Variable);

    /// <summary>
    /// The template with its variables in one spelling for every generation (<c>%{user} %{username}
    /// %{domain} %{home} %%</c>): what imaproot's PostgreSQL schema expands itself, since Dovecot expands
    /// no variable an sql userdb returns.
    /// </summary>
    public static string Neutral(string value) => Rewrite(value, name => "%{" + name + "}");

    private static string Rewrite(string value, Func<string, string> variable)
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
                "u" or "user" => variable("user"),
                "n" or "username" => variable("username"),
                "d" or "domain" => variable("domain"),
                "h" or "home" => variable("home"),
                _ => "%%",
            });
        }
        return text.ToString();
    }
}
