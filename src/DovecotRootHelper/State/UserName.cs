namespace DovecotRootHelper.State;

/// <summary>
/// The one rule for a user name the project acts on, wherever it comes from (script-login's USER,
/// checkpassword's fd 3 or USER, the state file, the admin tools): something that can be a Unix
/// account and a single path component, and that the state file can hold on one line.
/// </summary>
public static class UserName
{
    public const int MaxLength = 256;

    /// <summary>Null for a usable name, else why it is not one (for a message: "USER 'x' {problem}").</summary>
    public static string? Problem(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty)
            return "is empty";
        if (name.Length > MaxLength)
            return $"is longer than {MaxLength} characters";
        if (name is "." or "..")
            return "is not a name";
        if (name[0] is '-' or '#')
            return $"starts with '{name[0]}'";
        foreach (char c in name)
        {
            if (c <= ' ' || c == '\u007f')
                return "contains white space or a control character";
            // '/' would make it a path, ':' ends a passwd field, '\' escapes in Dovecot's files.
            if (c is '/' or ':' or '\\')
                return $"contains '{c}'";
        }
        return null;
    }

    public static bool IsValid(ReadOnlySpan<char> name) => Problem(name) is null;
}
