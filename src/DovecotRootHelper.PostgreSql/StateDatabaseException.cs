using DovecotRootHelper.State;

namespace DovecotRootHelper.PostgreSql;

/// <summary>The state database could not be reached or failed a command; the message names the connection file and the server, never the password.</summary>
public sealed class StateDatabaseException(string message, Exception? inner = null) : StateUnreadableException(message, 1, inner);
