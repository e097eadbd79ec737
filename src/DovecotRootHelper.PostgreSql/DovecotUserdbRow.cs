using DovecotRootHelper.Dovecot;
using DovecotRootHelper.State;
using Npgsql;

namespace DovecotRootHelper.PostgreSql;

/// <summary>
/// The one row of <c>imaproot.dovecot_userdb</c> and the rows of <c>imaproot.target_location</c>
/// as Dovecot's sql userdb reads them (written by <c>db init</c>/<c>db upgrade</c> from the config),
/// for <c>imaproot check</c> to compare with what the config gives now.
/// </summary>
public static class DovecotUserdbRow
{
    /// <summary>The row with the targets' (from schema version 5 on), or null when the table is empty (Dovecot then refuses every user for now).</summary>
    /// <exception cref="StateDatabaseException">The row holds a state this imaproot does not know.</exception>
    internal static SqlUserdbSettings? Read(NpgsqlConnection connection, int version)
    {
        ArgumentNullException.ThrowIfNull(connection);
        SqlUserdbSettings row;
        using (var command = new NpgsqlCommand(
            "SELECT default_state, migrated_from_uid, legacy_fields, migrated_fields, migrating_reason FROM imaproot.dovecot_userdb", connection))
        using (NpgsqlDataReader reader = command.ExecuteReader())
        {
            if (!reader.Read())
                return null;
            string state = reader.GetString(0);
            row = new SqlUserdbSettings(
                UserStateNames.TryParse(state, out UserState parsed) ? parsed : throw new StateDatabaseException($"imaproot.dovecot_userdb holds the default state '{state}'"),
                reader.IsDBNull(1) ? null : (uint)Math.Min(reader.GetInt64(1), uint.MaxValue),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4));
        }
        if (version < 5)
            return row;
        using var targets = new NpgsqlCommand("SELECT name, fields FROM imaproot.target_location ORDER BY config_order, name", connection);
        using NpgsqlDataReader rows = targets.ExecuteReader();
        var found = new List<KeyValuePair<string, string>>();
        while (rows.Read())
            found.Add(KeyValuePair.Create(rows.GetString(0), rows.GetString(1)));
        return row with { Targets = found };
    }

    /// <summary>
    /// One phrase per column in which <paramref name="found"/> (the database's) differs from
    /// <paramref name="expected"/> (the config's), the values as they are, TABs shown as <c>\t</c>.
    /// </summary>
    public static IReadOnlyList<string> Differences(SqlUserdbSettings found, SqlUserdbSettings expected)
    {
        ArgumentNullException.ThrowIfNull(found);
        ArgumentNullException.ThrowIfNull(expected);
        var differences = new List<string>();
        Compare(differences, "default_state", found.DefaultState.ToName(), expected.DefaultState.ToName());
        Compare(differences, "migrated_from_uid", found.MigratedFromUid?.ToString(System.Globalization.CultureInfo.InvariantCulture), expected.MigratedFromUid?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Compare(differences, "legacy_fields", found.LegacyFields, expected.LegacyFields);
        Compare(differences, "migrated_fields", found.MigratedFields, expected.MigratedFields);
        Compare(differences, "migrating_reason", found.MigratingReason, expected.MigratingReason);
        // The targets by name: Dovecot looks them up by name, their order means nothing to it.
        foreach ((string name, string fields) in expected.Targets)
            Compare(differences, $"target_location {name}", found.Targets.FirstOrDefault(t => t.Key == name).Value, fields);
        foreach ((string name, string fields) in found.Targets.Where(t => !expected.Targets.Any(e => e.Key == t.Key)))
            Compare(differences, $"target_location {name}", fields, null);
        return differences;
    }

    private static void Compare(List<string> differences, string column, string? found, string? expected)
    {
        if (found != expected)
            differences.Add($"{column} {Shown(found)} in the database, {Shown(expected)} from the config");
    }

    private static string Shown(string? value) => value is null ? "unset" : "'" + value.Replace("\t", "\\t", StringComparison.Ordinal) + "'";
}
