using System.Buffers;
using System.Text;

namespace DovecotRootHelper.Usage.Logs;

/// <summary>
/// Reads the arguments of an IMAP command as Dovecot logs them (RFC 3501 syntax): atoms, quoted
/// strings with \" and \\, literals ({N} or {N+}, CRLF, N octets), parenthesized lists. Anything
/// malformed (an unbalanced quote or parenthesis, a literal longer than the text) ends the reading
/// with false, never an exception.
/// </summary>
public ref struct ImapArguments(ReadOnlySpan<char> text)
{
    private const int MaxDepth = 32;

    // What ends the plain run of a quoted string: its closing quote, an escape, a line break (malformed).
    private static readonly SearchValues<char> QuotedEnds = SearchValues.Create("\"\\\r\n");
    private readonly ReadOnlySpan<char> _text = text;
    private int _position;

    /// <summary>The text after the arguments read so far.</summary>
    public readonly ReadOnlySpan<char> Rest => _text[_position..];

    /// <summary>The next argument as a string (atom, quoted or literal); false at the end, on a list or on malformed input.</summary>
    public bool TryReadString(out string value)
    {
        bool read = TryRead(out ReadOnlySpan<char> text);
        value = read ? text.ToString() : "";
        return read;
    }

    /// <summary>
    /// <see cref="TryReadString"/> without making a string: the argument's characters, part of the
    /// text read (only a quoted string with escapes is copied).
    /// </summary>
    public bool TryRead(out ReadOnlySpan<char> value)
    {
        value = default;
        SkipSpaces();
        if (_position >= _text.Length)
            return false;
        char c = _text[_position];
        if (c == '"')
            return TryReadQuoted(out value);
        if (c == '{')
            return TryReadLiteral(out value);
        if (c is '(' or ')' or '<')
            return false; // A list, or Dovecot's "<N byte literal>" placeholder: no name to read.
        int start = _position;
        while (_position < _text.Length && !IsAtomEnd(_text[_position]))
            _position++;
        if (_position == start)
            return false; // A control character or line break where an argument starts: reading on would not move.
        value = _text[start.._position];
        return true;
    }

    /// <summary>Skips the next argument, a parenthesized list included; false on malformed input or at the end.</summary>
    public bool TrySkip()
    {
        SkipSpaces();
        if (_position >= _text.Length)
            return false;
        if (_text[_position] != '(')
            return TryRead(out _);
        int depth = 0;
        while (_position < _text.Length)
        {
            char c = _text[_position];
            if (c == '(')
            {
                if (++depth > MaxDepth)
                    return false;
                _position++;
            }
            else if (c == ')')
            {
                _position++;
                if (--depth == 0)
                    return true;
            }
            else if (c == ' ')
            {
                _position++;
            }
            else if (!TryRead(out _))
            {
                return false;
            }
        }
        return false;
    }

    /// <summary>Whether the next argument starts a parenthesized list.</summary>
    public bool AtList()
    {
        SkipSpaces();
        return _position < _text.Length && _text[_position] == '(';
    }

    /// <summary>Reads a parenthesized list of strings (LIST's multiple patterns or selection options); false when malformed or nested.</summary>
    public bool TryReadStringList(List<string> values)
    {
        SkipSpaces();
        if (_position >= _text.Length || _text[_position] != '(')
            return false;
        _position++;
        while (true)
        {
            SkipSpaces();
            if (_position >= _text.Length)
                return false;
            if (_text[_position] == ')')
            {
                _position++;
                return true;
            }
            if (!TryReadString(out string value))
                return false;
            values.Add(value);
        }
    }

    private bool TryReadQuoted(out ReadOnlySpan<char> value)
    {
        value = default;
        ReadOnlySpan<char> text = _text[(_position + 1)..];
        int end = text.IndexOfAny(QuotedEnds);
        if (end >= 0 && text[end] == '"')
        {
            value = text[..end]; // No escapes: the characters between the quotes.
            _position += end + 2;
            return true;
        }
        var result = new StringBuilder();
        for (int i = _position + 1; i < _text.Length; i++)
        {
            char c = _text[i];
            if (c == '"')
            {
                _position = i + 1;
                value = result.ToString();
                return true;
            }
            if (c == '\\')
            {
                if (++i >= _text.Length || (_text[i] != '"' && _text[i] != '\\'))
                    return false;
                c = _text[i];
            }
            else if (c is '\r' or '\n')
            {
                return false;
            }
            result.Append(c);
        }
        return false;
    }

    private bool TryReadLiteral(out ReadOnlySpan<char> value)
    {
        value = default;
        int close = _text[_position..].IndexOf('}');
        if (close < 0)
            return false;
        ReadOnlySpan<char> size = _text.Slice(_position + 1, close - 1);
        if (size.Length > 0 && size[^1] == '+')
            size = size[..^1];
        if (size.Length is 0 or > 9 || !int.TryParse(size, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int length))
            return false;
        int start = _position + close + 1;
        if (_text[start..].StartsWith("\r\n", StringComparison.Ordinal))
            start += 2;
        else if (_text[start..].StartsWith("\n", StringComparison.Ordinal))
            start += 1;
        else
            return false;
        if (length > _text.Length - start)
            return false;
        value = _text.Slice(start, length);
        _position = start + length;
        return true;
    }

    private void SkipSpaces()
    {
        while (_position < _text.Length && _text[_position] == ' ')
            _position++;
    }

    private static bool IsAtomEnd(char c) => c is ' ' or '(' or ')' or '"' or '\r' or '\n' || c < ' ';
}
