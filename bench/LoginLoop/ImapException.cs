namespace DovecotRootHelper.Bench.LoginLoop;

/// <summary>The server did not answer as a successful login would.</summary>
internal sealed class ImapException(string message) : Exception(message);
