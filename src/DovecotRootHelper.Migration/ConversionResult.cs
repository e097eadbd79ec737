using DovecotRootHelper.State;

namespace DovecotRootHelper.Migration;

/// <summary>
/// A finished conversion, rollback, resume or finalize: the state the user ended in, what was
/// copied and how long each part took; <see cref="Refused"/> is how long the user's logins and
/// deliveries waited (the cut-over), <see cref="Notes"/> what was met on the way.
/// </summary>
public sealed record ConversionResult(
    string User,
    UserState State,
    string What,
    long MessageCount,
    TimeSpan PreSync,
    TimeSpan CutOver,
    TimeSpan Refused,
    IReadOnlyList<string> Notes);
