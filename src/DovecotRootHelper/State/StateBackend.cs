namespace DovecotRootHelper.State;

/// <summary><c>[state] backend</c>: where the users' states are kept.</summary>
public enum StateBackend
{
    /// <summary>The state file (<c>[state] file</c>), read by the hook or Dovecot's passwd-file userdb.</summary>
    File,

    /// <summary>PostgreSQL (<c>[postgresql] conninfo-file</c>), read by Dovecot's sql userdb.</summary>
    Postgresql,
}
