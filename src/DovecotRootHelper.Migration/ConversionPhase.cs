namespace DovecotRootHelper.Migration;

/// <summary>How far a conversion (or its rollback) got, as its journal records it; each phase is written before its work starts.</summary>
public enum ConversionPhase
{
    /// <summary>Admitted; the copy made while the user is online runs (the state still says the old location).</summary>
    PreSync,

    /// <summary>Logins refused and deliveries deferred (state migrating) for the final copy, the check and the flip.</summary>
    CutOver,

    /// <summary>The state names the target: Dovecot serves it. The old mail is kept until finalize.</summary>
    Converted,

    /// <summary>Back to the old location: logins refused, the target copied back over it, the state flipped back.</summary>
    RollingBack,
}
