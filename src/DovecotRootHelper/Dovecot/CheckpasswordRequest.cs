using System.Text;
using System.Text.Unicode;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Dovecot;

/// <summary>
/// What Dovecot writes on fd 3 for a checkpassword program: <c>user\0password\0timestamp\0</c>, at most
/// 512 bytes (empty password and timestamp for a lookup). Untrusted: anything else is refused.
/// </summary>
public static class CheckpasswordRequest
{
    public const int Descriptor = 3;
    public const int MaxLength = 512;

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
        string? problem = UserName.Problem(name);
        if (problem is not null)
            throw new FormatException($"user name '{Printable(name)}' on fd 3 cannot be a Unix account: it {problem}");
        return name;
    }

    private static string Printable(string name)
    {
        var text = new StringBuilder();
        foreach (char c in name.Length > 64 ? name[..64] + "..." : name)
            text.Append(c < ' ' || c == '\u007f' ? $"\\x{(int)c:x2}" : c);
        return text.ToString();
    }
}
