using System.Text;
using DovecotRootHelper.Mailboxes;

namespace DovecotRootHelper.Fuzz.Targets;

/// <summary>
/// IMAP's modified UTF-7 (on-disk mailbox names). No rejection but null from TryDecode. Round trips:
/// any Unicode name encodes to printable ASCII that decodes to it; any name that decodes re-encodes
/// to a name that decodes the same.
/// </summary>
internal static class ModifiedUtf7Target
{
    public static void Run(byte[] input)
    {
        string text = Encoding.UTF8.GetString(input);
        string encoded = ModifiedUtf7.Encode(text);
        FuzzFindingException.Unless(encoded.All(c => c is >= ' ' and <= '~'), $"Encode gave a character outside printable ASCII for '{text}'");
        FuzzFindingException.Unless(ModifiedUtf7.TryDecode(encoded) == text, $"'{text}' encodes to '{encoded}', which does not decode back");
        if (ModifiedUtf7.TryDecode(text) is { } decoded)
            FuzzFindingException.Unless(ModifiedUtf7.TryDecode(ModifiedUtf7.Encode(decoded)) == decoded, $"'{text}' decodes to a name that does not survive Encode");
    }
}
