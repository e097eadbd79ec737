using System.Text;
using DovecotRootHelper.Migration;

namespace DovecotRootHelper.Fuzz.Targets;

/// <summary>
/// A user's own mail filter (.procmailrc, .forward, .mailfilter, a Sieve script), read as root by
/// plan. Rejected only as too complex (InvalidDataException: too many MAILDIRs). Every path found
/// is relative to the home and stays inside it (no empty, ".", ".." or leading "/" component);
/// every line number lies in the file; every Sieve mailbox came from the script's text.
/// </summary>
internal static class MailFilterTarget
{
    private const string Home = "/home/alice";

    public static void Run(byte[] input)
    {
        string text = Encoding.UTF8.GetString(input);
        int lines = text.Count(c => c == '\n') + 1;
        foreach (FilterSyntax syntax in Enum.GetValues<FilterSyntax>())
        {
            List<(int Line, string Written, string Path)> found;
            try
            {
                found = FilterPathWords.Scan(text, syntax, Home, [""]);
            }
            catch (InvalidDataException)
            {
                continue;
            }
            foreach ((int line, string written, string path) in found)
            {
                FuzzFindingException.Unless(line >= 1 && line <= lines, $"line {line} outside the file's {lines}");
                FuzzFindingException.Unless(path.Length > 0 && path.Split('/').All(c => c is not ("" or "." or "..")), $"'{path}' (from '{written}') is not a plain path below the home");
            }
        }
        try
        {
            foreach ((int line, _, List<string> paths) in FilterPathWords.ProcmailIncludes(text, Home, [], out _))
                FuzzFindingException.Unless(line >= 1 && line <= lines && paths.All(p => p.Length > 0 && !p.StartsWith('/')), "an include outside the file or the home");
        }
        catch (InvalidDataException)
        {
        }
        foreach ((int line, string mailbox) in SieveFileinto.Scan(text))
            FuzzFindingException.Unless(line >= 1 && line <= lines, $"Sieve line {line} outside the file's {lines}");
    }
}
