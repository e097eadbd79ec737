namespace DovecotRootHelper.Migration;

/// <summary>The rules for a mailbox name found as evidence: which can be a file's path below the root, and the folders above it.</summary>
internal static class MailboxNameRules
{
    /// <summary>NAME_MAX: the longest file name, in bytes, on Linux's filesystems.</summary>
    public const int NameMax = 255;

    /// <summary>Not empty, no NUL, no empty, ".", ".." or index-directory component.</summary>
    public static bool IsUsable(string name)
    {
        if (name.Length == 0 || name.Contains('\0', StringComparison.Ordinal))
            return false;
        foreach (string part in name.Split('/'))
        {
            if (part is "" or "." or ".." or MailboxDiscovery.IndexDirectory)
                return false;
        }
        return true;
    }

    /// <summary>A component longer than a file name can be: no file has such a name.</summary>
    public static bool HasOverlongComponent(string name)
    {
        foreach (string part in name.Split('/'))
        {
            if (part.Length > NameMax / 3 && System.Text.Encoding.UTF8.GetByteCount(part) > NameMax)
                return true;
        }
        return false;
    }

    /// <summary>The folders above a mailbox name, outermost first ("a", "a/b" for "a/b/c").</summary>
    public static IEnumerable<string> Parents(string name)
    {
        for (int slash = name.IndexOf('/', StringComparison.Ordinal); slash >= 0; slash = name.IndexOf('/', slash + 1))
            yield return name[..slash];
    }
}
