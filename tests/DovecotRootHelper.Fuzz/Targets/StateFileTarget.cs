using System.Text;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Fuzz.Targets;

/// <summary>
/// The state file, read by the admin tools (ParseAll), the login hook (FindUser, or the index and
/// ParseLine) and the index builder. Rejection: <see cref="StateFileException"/>. Accepted ⇒ every
/// user passes <see cref="UserName"/>'s rule, FindUser finds each user's very entry, and the index
/// built from the file finds every user through the hook's lookup.
/// </summary>
internal static class StateFileTarget
{
    public static void Run(byte[] input)
    {
        StateFileContents parsed = StateFileSyntax.ParseAll(input, "state");
        // The hook's scan must agree with the admin tools on every name the file holds, and must
        // only ever refuse with a StateFileException, whatever the file.
        foreach (string probe in Probes(input))
        {
            StateEntry? found;
            try
            {
                found = StateFileSyntax.FindUser(input, Encoding.UTF8.GetBytes(probe), "state");
            }
            catch (StateFileException) when (!parsed.IsValid)
            {
                continue;
            }
            FuzzFindingException.Unless(found is null || found.User == probe, $"FindUser('{probe}') returned the entry of '{found?.User}'");
            if (parsed.IsValid)
                FuzzFindingException.Unless(Same(found, parsed.Entries.FirstOrDefault(e => e.User == probe)), $"FindUser('{probe}') disagrees with ParseAll");
        }
        if (!parsed.IsValid)
            return;

        var users = new HashSet<string>(StringComparer.Ordinal);
        foreach (StateEntry entry in parsed.Entries)
        {
            FuzzFindingException.Unless(UserName.IsValid(entry.User), $"accepted user '{entry.User}' breaks the user-name rule");
            FuzzFindingException.Unless(users.Add(entry.User), $"accepted user '{entry.User}' twice");
        }

        // The index the writer would write, and the hook's lookups through it.
        StateScratch.WriteIndex(StateFileIndex.Build(parsed, StateScratch.WriteState(input)));
        foreach (StateEntry entry in parsed.Entries)
        {
            FuzzFindingException.Unless(StateScratch.TryFind(entry.User, out StateEntry? indexed), $"the index built from the file cannot be used to find '{entry.User}'");
            FuzzFindingException.Unless(Same(indexed, entry), $"the index finds another entry for '{entry.User}'");
        }
        FuzzFindingException.Unless(!users.Contains("nobody-listed") && StateScratch.TryFind("nobody-listed", out StateEntry? none) && none is null, "the index finds an unlisted user");
    }

    // Every first field of a line (listed users, and names a line is refused for), and a few
    // names that are prefixes or extensions of them.
    private static HashSet<string> Probes(byte[] input)
    {
        var probes = new HashSet<string>(StringComparer.Ordinal) { "alice" };
        foreach (string line in Encoding.UTF8.GetString(input).Split('\n').Take(64))
        {
            string field = line.Trim(' ', '\t', '\r').Split(' ', '\t', '\r')[0];
            if (UserName.IsValid(field))
            {
                probes.Add(field);
                probes.Add(field + "x");
                if (field.Length > 1 && UserName.IsValid(field.AsSpan(1)))
                    probes.Add(field[1..]);
            }
        }
        return probes;
    }

    private static bool Same(StateEntry? a, StateEntry? b) =>
        a is null ? b is null : b is not null && a.User == b.User && a.State == b.State && a.Note == b.Note && a.Line == b.Line;
}
