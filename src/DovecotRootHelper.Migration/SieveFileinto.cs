using System.Text;

namespace DovecotRootHelper.Migration;

/// <summary>
/// The mailbox names a Sieve script's <c>fileinto</c> commands deliver to (RFC 5228; the tagged
/// arguments of the imap4flags, special-use and mailboxid extensions skipped). Comments, strings
/// with escapes and <c>text:</c> blocks are lexed properly, so a name inside a comment or a header
/// test is not taken for a target. Names are UTF-8, as Sieve writes them.
/// </summary>
internal static class SieveFileinto
{
    private static readonly HashSet<string> TagsWithArgument = new(StringComparer.OrdinalIgnoreCase) { ":flags", ":specialuse", ":mailboxid" };

    public static List<(int Line, string Mailbox)> Scan(string script)
    {
        var found = new List<(int, string)>();
        List<(int Line, string Kind, string Text)> tokens = Tokens(script);
        for (int i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Kind != "word" || !tokens[i].Text.Equals("fileinto", StringComparison.OrdinalIgnoreCase))
                continue;
            string? mailbox = null;
            int mailboxLine = 0;
            bool skipNext = false;
            int depth = 0;
            for (i++; i < tokens.Count && !(tokens[i].Text == ";" && depth == 0) && tokens[i].Text is not "{" and not "}"; i++)
            {
                (int at, string kind, string text) = tokens[i];
                if (text == "[")
                    depth++;
                else if (text == "]" && --depth == 0 && skipNext)
                    skipNext = false;
                else if (kind == "tag")
                    skipNext = TagsWithArgument.Contains(text);
                else if (kind == "string" && depth == 0)
                {
                    if (skipNext)
                        skipNext = false;
                    else
                        (mailbox, mailboxLine) = (text, at);
                }
            }
            if (mailbox is not null)
                found.Add((mailboxLine, mailbox));
        }
        return found;
    }

    // (line, kind: word, tag, string or punct, text); strings unescaped.
    private static List<(int Line, string Kind, string Text)> Tokens(string s)
    {
        var tokens = new List<(int, string, string)>();
        int line = 1;
        for (int i = 0; i < s.Length;)
        {
            char c = s[i];
            if (c == '\n')
            {
                line++;
                i++;
            }
            else if (char.IsWhiteSpace(c))
                i++;
            else if (c == '#')
            {
                while (i < s.Length && s[i] != '\n')
                    i++;
            }
            else if (c == '/' && i + 1 < s.Length && s[i + 1] == '*')
            {
                int end = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? s.Length : end + 2;
                line += s.AsSpan(i, end - i).Count('\n');
                i = end;
            }
            else if (c == '"')
            {
                int start = line;
                var text = new StringBuilder();
                for (i++; i < s.Length && s[i] != '"'; i++)
                {
                    if (s[i] == '\\' && i + 1 < s.Length)
                        i++;
                    if (s[i] == '\n')
                        line++;
                    text.Append(s[i]);
                }
                i++;
                tokens.Add((start, "string", text.ToString()));
            }
            else if (s.AsSpan(i).StartsWith("text:", StringComparison.OrdinalIgnoreCase))
            {
                // A multi-line string, up to a line holding only "."; its lines are kept as they are.
                int start = line;
                int end = s.IndexOf("\n.\n", i, StringComparison.Ordinal);
                int stop = end < 0 ? s.Length : end + 3;
                int firstBreak = s.IndexOf('\n', i);
                string body = firstBreak < 0 || firstBreak >= stop ? "" : s[(firstBreak + 1)..Math.Max(firstBreak + 1, stop - 3)];
                line += s.AsSpan(i, stop - i).Count('\n');
                i = stop;
                tokens.Add((start, "string", body));
            }
            else if (c == ':' || char.IsLetterOrDigit(c) || c == '_')
            {
                int start = i;
                for (i++; i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] is '_' or '.' or '-'); i++)
                {
                }
                tokens.Add((line, c == ':' ? "tag" : "word", s[start..i]));
            }
            else
            {
                tokens.Add((line, "punct", c.ToString()));
                i++;
            }
        }
        return tokens;
    }
}
