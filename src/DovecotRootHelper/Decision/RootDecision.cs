using DovecotRootHelper.Configuration;
using DovecotRootHelper.Locations;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Decision;

/// <summary>
/// What the hook tells Dovecot for one login: a state, the location that follows, and why. No
/// location for a refused login, nor for a legacy user when <c>[locations] legacy</c> is unset
/// (Dovecot's own mail location applies).
/// </summary>
public sealed record RootDecision(string User, UserState State, MailLocation? Location, string Why)
{
    /// <summary>True when the login must be refused for now (the user's files are being moved).</summary>
    public bool RefusesLogin => State == UserState.Migrating;

    /// <summary>
    /// Looks the user up in the configured state file and decides: what every login mode does. The
    /// line number in <see cref="Why"/> costs a pass over the file, so logins count it only when a
    /// decision line will be logged; the admin tools always ask for it.
    /// </summary>
    public static RootDecision ForLogin(LoginSettings config, string user, string? home, string? uidText, bool withLineNumber = false) =>
        Decide(config, user, home, uidText, StateFileReader.FindUser(config.StateFile, user, countLines: withLineNumber || config.LogDecisions, config.Targets));

    /// <summary>The failures that mean no root can be decided (the login must fail for now), as opposed to bugs.</summary>
    public static bool IsDecisionFailure(Exception e) =>
        e is ConfigException or StateFileException or LocationException or IOException or UnauthorizedAccessException;

    /// <summary>
    /// The decision table. A user listed in the state file gets the listed state. An unlisted user
    /// with a uid at or above <c>migrated-from-uid</c> is migrated (new accounts start migrated);
    /// any other unlisted user gets <c>[state] default</c>. <paramref name="listedIn"/> says where
    /// the entry is kept when that is not the state file (the database).
    /// </summary>
    public static RootDecision Decide(LoginSettings config, string user, string? home, string? uidText, StateEntry? entry, string? listedIn = null)
    {
        UserState state;
        string why;
        if (entry is not null)
        {
            state = entry.State;
            why = listedIn is not null ? $"listed in {listedIn}"
                : entry.Line > 0 ? $"listed in {config.StateFile} line {entry.Line}" : $"listed in {config.StateFile}";
        }
        else if (config.MigratedFromUid is uint threshold)
        {
            if (!uint.TryParse(uidText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out uint uid))
                throw new LocationException($"user {user} is not in the state file and has no usable uid ('{uidText}') for migrated-from-uid");
            state = uid >= threshold ? UserState.Migrated : config.DefaultState;
            why = uid >= threshold
                ? $"not listed; uid {uid} >= migrated-from-uid {threshold}"
                : $"not listed; uid {uid} < migrated-from-uid {threshold}; default {config.DefaultState.ToName()}";
        }
        else
        {
            state = config.DefaultState;
            why = $"not listed; default {config.DefaultState.ToName()}";
        }

        LocationTemplate? template = config.TemplateFor(state);
        if (template is null && state.IsTarget)
            throw new LocationException($"user {user} is in state '{state.Name}', which names no location of [locations] in {config.Path}");
        MailLocation? location = template?.Expand(user, home);
        return new RootDecision(user, state, location, why);
    }
}
