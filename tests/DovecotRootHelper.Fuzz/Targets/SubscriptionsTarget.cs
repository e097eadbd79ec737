using System.Text;
using DovecotRootHelper.Migration;

namespace DovecotRootHelper.Fuzz.Targets;

/// <summary>
/// A user's subscriptions file, read as root during a migration. No rejection: every file gives a
/// list of distinct, non-empty names without a line break. The round trip: those names written back
/// as a version 2 file (TAB as separator) and as an old-style file parse to the same list.
/// </summary>
internal static class SubscriptionsTarget
{
    public static void Run(byte[] input)
    {
        IReadOnlyList<string> names = SubscriptionsFile.Parse(input);
        FuzzFindingException.Unless(names.Distinct(StringComparer.Ordinal).Count() == names.Count, "a name is listed twice");
        FuzzFindingException.Unless(names.All(n => n.Length > 0 && !n.Contains('\n', StringComparison.Ordinal) && !n.EndsWith('\r')), "an empty name or one with a line break");
        if (names.Any(n => n.Contains('\t', StringComparison.Ordinal)))
            return; // an old-style name with a TAB cannot be written as version 2
        string version2 = "V\t2\n\n" + string.Concat(names.Select(n => n.Replace('/', '\t') + "\n"));
        FuzzFindingException.Unless(SubscriptionsFile.Parse(Encoding.UTF8.GetBytes(version2)).SequenceEqual(names), "the names written as version 2 parse differently");
        if (names.Count > 0 && names[0] == "V\t2")
            return;
        string old = string.Concat(names.Select(n => n + "\n"));
        FuzzFindingException.Unless(names.Count > 0 && names[0] == "V" || SubscriptionsFile.Parse(Encoding.UTF8.GetBytes(old)).SequenceEqual(names), "the names written old-style parse differently");
    }
}
