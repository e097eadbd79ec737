namespace DovecotRootHelper.Migration;

/// <summary>
/// A migration cannot go on; the message is one line naming the user, the path and the reason.
/// What the failure left is a property, never read back from the text: <see cref="NothingTouched"/>
/// for a refusal before anything changed, <see cref="Remedy"/> for a failure that left the user
/// <c>migrating</c> with a journal.
/// </summary>
public sealed class MigrationException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Refused before the user's state or files were touched; the message ends "nothing was touched".</summary>
    public bool NothingTouched { get; private init; }

    /// <summary>What went wrong, without what the failure left ("nothing was touched", the remedy): for a caller that goes on to say what it did about it.</summary>
    public string Reason { get; private init; } = message;

    /// <summary>What the administrator runs next, for a failure that left the user migrating; null otherwise. The message ends with it.</summary>
    public string? Remedy { get; private init; }

    /// <summary>A refusal before anything was touched.</summary>
    public static MigrationException Refusal(string reason) => new($"{reason}; nothing was touched") { NothingTouched = true, Reason = reason };

    /// <summary>A failure that left the user migrating, with the one line that says what to do next.</summary>
    public static MigrationException LeftMigrating(string reason, string remedy, Exception? inner = null) =>
        new($"{reason}; {remedy}", inner) { Remedy = remedy, Reason = reason };

    /// <summary>
    /// <paramref name="failure"/> as a failure that left the user migrating: unchanged when it already
    /// carries its remedy (a nested phase said what to do), else with <paramref name="remedy"/>.
    /// </summary>
    public static MigrationException LeftMigrating(Exception failure, string remedy)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure is MigrationException { Remedy: not null } carried ? carried : LeftMigrating(failure.Message, remedy, failure);
    }
}
