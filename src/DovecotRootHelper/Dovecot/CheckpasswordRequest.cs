using System.Text;
using System.Text.Unicode;

namespace DovecotRootHelper.Dovecot;

/// <summary>
/// What Dovecot writes on fd 3 for a checkpassword program: <c>user\0password\0timestamp\0</c>, at most
/// 512 bytes (empty password and timestamp for a lookup). Untrusted: anything else is refused.
/// </summary>
public static class CheckpasswordRequest
{
    public const int Descriptor = 3;
    public const int MaxLength = 512;
    public const int MaxUserLength = 256;

    /// <summary>The user name, or throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static string ParseUser(byte[] input)
    {
        if (input.Length > MaxLength)
            throw new FormatException($"fd 3 input is longer than {MaxLength} bytes");
        int end = Array.IndexOf(input, (byte)0);
        if (end < 0 || Array.IndexOf(input, (byte)0, end + 1) < 0)
            throw new FormatException("fd 3 input is not user\\0password\\0... (missing NUL terminators)");
        ReadOnlySpan<byte> user = input.AsSpan(0, end);
        if (!Utf8.IsValid(user))
            throw new FormatException("the user name on fd 3 is not valid UTF-8");
        string name = Encoding.UTF8.GetString(user);
        string? problem = AccountNameProblem(name);
        if (problem is not null)
            throw new FormatException($"user name '{Printable(name)}' on fd 3 cannot be a Unix account: {problem}");
        return name;
    }

    /// <summary>Null for a name that can be looked up as an account, else why not.</summary>
    public static string? AccountNameProblem(string name)
    {
        if (name.Length == 0)
            return "it is empty";
        if (name.Length > MaxUserLength)
            return $"it is longer than {MaxUserLength} characters";
        if (name is "." or ".." || name[0] == '-')
            return "it is not a name";
        foreach (char c in name)
        {
            if (c <= ' ' || c == '\u007f')
                return "it contains white space or a control character";
            if (c is '/' or ':' or '\\' or '#')
                return $"it contains '{c}'";
        }
        return null;
    }

    private static string Printable(string name)
    {
        var text = new StringBuilder();
        foreach (char c in name.Length > 64 ? name[..64] + "..." : name)
            text.Append(c < ' ' || c == '\u007f' ? $"\\x{(int)c:x2}" : c);
        return text.ToString();
    }
}
