using System.Buffers.Binary;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Fuzz.Targets;

/// <summary>
/// A damaged or hostile index beside a state file. Input: a 16-bit little-endian length, that many
/// bytes of state file, then the index, whose identity (bytes 8 to 63) is overwritten to name the
/// state file as written (the fuzzer could not guess an inode). TryFind may ignore the index
/// (false) and may trust a slot that says "not listed" (the index is owned like the state file),
/// but it may not throw, and an entry it returns is the line of the user asked for, as the
/// full scan parses it.
/// </summary>
internal static class StateIndexTarget
{
    private const int IdentityStart = 8;
    private const int IdentityEnd = 64;

    public static void Run(byte[] input)
    {
        if (input.Length < 2)
            return;
        int stateLength = Math.Min(BinaryPrimitives.ReadUInt16LittleEndian(input), input.Length - 2);
        byte[] state = input[2..(2 + stateLength)];
        byte[] index = input[(2 + stateLength)..];
        byte[] identity = StateFileIndex.Build(StateFileSyntax.ParseAll(ReadOnlyMemory<byte>.Empty, "state"), StateScratch.WriteState(state));
        if (index.Length >= IdentityEnd)
            identity.AsSpan(IdentityStart, IdentityEnd - IdentityStart).CopyTo(index.AsSpan(IdentityStart));
        StateScratch.WriteIndex(index);

        StateFileContents parsed = StateFileSyntax.ParseAll(state, "state");
        IEnumerable<string> users = parsed.IsValid ? parsed.Entries.Select(e => e.User) : [];
        foreach (string user in users.Take(32).Append("alice").Append("bob"))
        {
            if (!StateScratch.TryFind(user, out StateEntry? entry) || entry is null)
                continue;
            FuzzFindingException.Unless(entry.User == user, $"the index lookup for '{user}' returned the entry of '{entry.User}'");
            StateEntry? scanned = null;
            try
            {
                scanned = StateFileSyntax.FindUser(state, System.Text.Encoding.UTF8.GetBytes(user), "state");
            }
            catch (StateFileException)
            {
                // The file has a problem the scan reports; the index only pointed at a line that parses.
                continue;
            }
            FuzzFindingException.Unless(scanned is not null && scanned.State == entry.State && scanned.Note == entry.Note,
                $"the index lookup for '{user}' found {entry.State} '{entry.Note}', the scan {scanned?.State} '{scanned?.Note}'");
        }
    }
}
