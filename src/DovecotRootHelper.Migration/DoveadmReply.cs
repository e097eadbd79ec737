namespace DovecotRootHelper.Migration;

/// <summary>
/// What a doveadm server answered to one command: the values it printed (tab-unescaped, no header:
/// the caller knows the command's columns) and, when it failed, the code after its <c>-</c>
/// (<c>TEMPFAIL</c>, <c>NOTFOUND</c>, ...; empty when it gave none).
/// </summary>
public sealed record DoveadmReply(IReadOnlyList<string> Values, string? FailureCode)
{
    public bool Succeeded => FailureCode is null;
}
