namespace DovecotRootHelper.Migration;

/// <summary>One mailbox as a client sees it: how many messages, and the UIDs they have and will get.</summary>
public sealed record MailboxCount(uint Messages, uint UidValidity, uint UidNext)
{
    public override string ToString() => $"{Messages} message(s), UIDVALIDITY {UidValidity}, UIDNEXT {UidNext}";
}
