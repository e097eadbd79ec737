using System.Globalization;

namespace DovecotRootHelper.Cli;

/// <summary>
/// The files <c>[usage] logs</c> names: each an absolute path whose last component may hold
/// '*' (dovecot.log* matches dovecot.log, dovecot.log.1, dovecot.log.2.gz). Oldest first, so that
/// a mailbox's create, use and rename are read in the order they happened: by logrotate's names,
/// not by modification time (compressing a rotated file gives it a new one): the highest number
/// first, date-suffixed files by date, the live file last.
/// </summary>
internal static class LogFiles
{
    public static IReadOnlyList<string> Expand(IEnumerable<string> patterns)
    {
        var result = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string pattern in patterns)
        {
            string directory = Path.GetDirectoryName(pattern) ?? "/";
            string name = Path.GetFileName(pattern);
            int star = name.IndexOf('*', StringComparison.Ordinal);
            if (star < 0)
            {
                if (seen.Add(pattern))
                    result.Add(pattern);
                continue;
            }
            if (!Directory.Exists(directory))
                continue;
            string stem = name[..star];
            IEnumerable<string> matches = Directory.EnumerateFiles(directory, name, new EnumerationOptions { MatchType = MatchType.Simple, RecurseSubdirectories = false })
                .OrderBy(file => Age(Path.GetFileName(file), stem))
                .ThenBy(file => file, StringComparer.Ordinal);
            foreach (string file in matches)
            {
                if (seen.Add(file))
                    result.Add(file);
            }
        }
        return result;
    }

    // Sorts oldest first: NAME.N[.gz] by N descending, then other suffixes (dateext) by name, then NAME itself.
    private static (int Kind, long Number, string Suffix) Age(string file, string stem)
    {
        string suffix = file.Length >= stem.Length ? file[stem.Length..] : file;
        string number = suffix.StartsWith('.') ? suffix[1..] : suffix;
        if (number.EndsWith(".gz", StringComparison.Ordinal))
            number = number[..^3];
        if (suffix.Length == 0)
            return (2, 0, "");
        if (long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out long n))
            return (0, -n, suffix);
        return (1, 0, suffix);
    }
}
