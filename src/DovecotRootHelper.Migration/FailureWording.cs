namespace DovecotRootHelper.Migration;

/// <summary>
/// The two phrasings of a <see cref="CommandRun"/> failure, kept as admins have read them: a
/// migration's refusal or message (<c>'doveadm kick alice' could not be started (...)</c>), and a
/// warning of <c>check</c>, <c>set</c> and Dovecot's answers (<c>cannot run 'doveconf -n': ...</c>).
/// </summary>
public enum FailureWording
{
    /// <summary>A migration's refusal, session message or notice: "could not be started", "hung", "exited with".</summary>
    Refusal,

    /// <summary>check's and set's warnings and Dovecot's answers: "cannot run", "did not finish", "exited".</summary>
    Warning,
}
