namespace DovecotRootHelper.Configuration;

/// <summary>
/// The [migration] section: where journals live and the commands that close a user's sessions
/// (<c>kick</c>), show whether any are left (<c>who</c>) and flush Dovecot's auth cache
/// (<c>flush</c>); <c>%u</c> in a command is the user. The commands are split on blanks and run
/// without a shell.
/// </summary>
public sealed record MigrationSettings(string JournalDirectory, string KickCommand, string WhoCommand, string FlushCommand, TimeSpan KickTimeout);
