using DovecotRootHelper.Configuration;
using DovecotRootHelper.Locations;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Dovecot;

/// <summary>
/// What Dovecot's sql userdb (the pgsql all-services setup) needs of imaproot's config, as the one
/// row imaproot writes into its PostgreSQL schema: the unlisted rule (<c>[state] default</c>,
/// <c>migrated-from-uid</c>), each location's userdb fields as TAB-separated <c>KEY=VALUE</c> in the
/// configured generation's names (null legacy fields: Dovecot's own location), and the reason a
/// migrating user is given. Variables are written <c>%{user} %{username} %{domain} %{home} %%</c>
/// on both generations, for the schema to expand: Dovecot expands none in what an sql userdb returns.
/// The named target locations' fields, in the same format, go beside it (<see cref="Targets"/>).
/// </summary>
public sealed record SqlUserdbSettings(UserState DefaultState, uint? MigratedFromUid, string? LegacyFields, string MigratedFields, string MigratingReason)
{
    /// <summary>Each target location of <c>[locations]</c> by name, with its fields, in the config's order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Targets { get; init; } = [];

    /// <summary>What a migrating user reads at login (with the protocol's code before it) and what LMTP and doveadm log.</summary>
    public const string Reason = "Mailboxes are being moved, please try again in a few minutes";

    /// <summary>The row for <paramref name="config"/>'s <c>[dovecot] version</c>, <c>[locations]</c> and <c>[state]</c>.</summary>
    public static SqlUserdbSettings From(LoginSettings config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new SqlUserdbSettings(config.DefaultState, config.MigratedFromUid,
            config.Legacy is { } legacy ? Fields(config.Generation, legacy) : null,
            Fields(config.Generation, config.Migrated),
            Reason)
        {
            Targets = [.. config.Targets.Names.Select(name => KeyValuePair.Create(name, Fields(config.Generation, config.Targets.Template(name)!)))],
        };
    }

    public bool Equals(SqlUserdbSettings? other) =>
        other is not null && DefaultState == other.DefaultState && MigratedFromUid == other.MigratedFromUid
        && LegacyFields == other.LegacyFields && MigratedFields == other.MigratedFields && MigratingReason == other.MigratingReason
        && Targets.SequenceEqual(other.Targets);

    public override int GetHashCode() => HashCode.Combine(DefaultState, MigratedFromUid, LegacyFields, MigratedFields, MigratingReason, Targets.Count);

    private static string Fields(DovecotGeneration generation, LocationTemplate template)
    {
        var location = new MailLocation(template.Driver, DovecotVariables.Neutral(template.Path),
            template.Parameters.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value is null ? null : DovecotVariables.Neutral(p.Value))).ToList());
        return string.Join('\t', generation.UserdbFields(location).Select(f => $"{f.Key}={f.Value}"));
    }
}
