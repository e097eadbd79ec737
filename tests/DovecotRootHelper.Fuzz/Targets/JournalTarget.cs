using System.Text;
using DovecotRootHelper.Migration;

namespace DovecotRootHelper.Fuzz.Targets;

/// <summary>
/// A migration journal. Rejection: <see cref="JournalException"/>. Accepted ⇒ its plan, written
/// again by the journal's own writer, reads back to the same plan (serialize, parse, serialize is
/// a fixed point), so a resumed migration works from what was planned.
/// </summary>
internal static class JournalTarget
{
    public static void Run(byte[] input)
    {
        Journal journal;
        try
        {
            journal = Journal.Parse("/var/lib/dovecot-root-helper/journal/x.journal", Encoding.UTF8.GetString(input));
        }
        catch (JournalException)
        {
            return;
        }
        string written = Journal.Serialize(journal.Plan);
        Journal again = Journal.Parse("again", written);
        FuzzFindingException.Unless(Journal.Serialize(again.Plan) == written, "the journal's plan does not survive being written and read again");
        FuzzFindingException.Unless(again.Plan.Steps.Count == journal.Plan.Steps.Count && again.Plan.Mailboxes.SequenceEqual(journal.Plan.Mailboxes), "the plan read back has other steps or mailboxes");
    }
}
