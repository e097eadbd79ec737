using DovecotRootHelper.Mailboxes;
namespace DovecotRootHelper.Migration;

/// <summary>Which mailboxes the administrator named, and which further evidence sources to consult.</summary>
public sealed record MailboxSelection(IReadOnlyList<string> Given, IReadOnlyList<IMailboxEvidenceSource> Sources)
{
    public static MailboxSelection None { get; } = new([], []);
}
