namespace DovecotRootHelper.PostgreSql;

/// <summary>The database's schema is newer than this imaproot knows: it must not read or write it (exit 4, as for a state file it cannot use).</summary>
public sealed class SchemaTooNewException(string message) : Exception(message);
