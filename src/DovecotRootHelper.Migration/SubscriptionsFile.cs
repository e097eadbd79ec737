using System.Text;

namespace DovecotRootHelper.Migration;

/// <summary>
/// Dovecot's subscriptions file. Version 2 starts with "V\t2\n\n" and writes the hierarchy
/// separator as TAB; older files hold one name a line with the real separator ('/' for mbox).
/// Either way the result is on-disk names with '/'.
/// </summary>
public static class SubscriptionsFile
{
    public const string DefaultName = ".subscriptions";

    public static IReadOnlyList<string> Parse(ReadOnlySpan<byte> contents)
    {
        string text = Encoding.UTF8.GetString(contents);
        string[] lines = text.Split('\n');
        bool version2 = lines.Length >= 2 && lines[0] == "V\t2";
        var names = new List<string>();
        // A set beside the list: the file is the user's, and a search of the list per line made a
        // file of a million names take the better part of an hour.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // Version 2 has one header line and then an empty line.
        for (int i = version2 ? 2 : 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            if (line.Length == 0)
                continue;
            string name = version2 ? line.Replace('\t', '/') : line;
            if (seen.Add(name))
                names.Add(name);
        }
        return names;
    }
}
