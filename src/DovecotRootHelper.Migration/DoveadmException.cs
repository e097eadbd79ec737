namespace DovecotRootHelper.Migration;

/// <summary>A doveadm server that could not be reached, refused the password or broke the protocol; the message is one line naming it.</summary>
public sealed class DoveadmException(string message) : Exception(message);
