namespace DovecotRootHelper.Cli;

/// <summary>
/// The files <c>[usage] logs</c> names: each an absolute path whose last component may hold
/// '*' (dovecot.log* matches dovecot.log, dovecot.log.1, dovecot.log.2.gz). Oldest first, so that
/// a mailbox's create, use and rename are read in the order they happened.
/// </summary>
internal static class LogFiles
{
    public static IReadOnlyList<string> Expand(IEnumerable<string> patterns)
    {
        var found = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        foreach (string pattern in patterns)
        {
            string directory = Path.GetDirectoryName(pattern) ?? "/";
            string name = Path.GetFileName(pattern);
            if (!name.Contains('*', StringComparison.Ordinal))
            {
                found[pattern] = File.Exists(pattern) ? File.GetLastWriteTimeUtc(pattern) : DateTime.MaxValue;
                continue;
            }
            if (!Directory.Exists(directory))
                continue;
            foreach (string file in Directory.EnumerateFiles(directory, name, new EnumerationOptions { MatchType = MatchType.Simple, RecurseSubdirectories = false }))
                found[file] = File.GetLastWriteTimeUtc(file);
        }
        return [.. found.OrderBy(f => f.Value).ThenByDescending(f => f.Key, StringComparer.Ordinal).Select(f => f.Key)];
    }
}
