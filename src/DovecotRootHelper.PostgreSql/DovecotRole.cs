using Npgsql;

namespace DovecotRootHelper.PostgreSql;

/// <summary>
/// The login role Dovecot's sql userdb connects as (<c>[postgresql] dovecot-role</c>): <c>db init</c>
/// and <c>db upgrade</c> make it a member of <see cref="GroupRole"/>, which may execute the schema's
/// two functions and nothing else; <c>db status</c> and <c>check</c> say whether it is one. Without
/// that membership every lookup Dovecot makes fails with "permission denied", which Dovecot's
/// clients see only as failed logins.
/// </summary>
public static class DovecotRole
{
    /// <summary>The group role schema version 2 creates and grants the functions to.</summary>
    public const string GroupRole = "imaproot_dovecot";

    /// <summary>Whether the role exists in the cluster and is a member of <see cref="GroupRole"/>.</summary>
    public readonly record struct Membership(bool Exists, bool Member)
    {
        /// <summary>What is wrong with the role, in one phrase with its remedy; null when it is a member.</summary>
        public string? Problem(string role) => this switch
        {
            { Member: true } => null,
            { Exists: true } => $"[postgresql] dovecot-role {role} is not a member of {GroupRole}, so every lookup Dovecot's sql userdb makes fails (permission denied): run imaproot db upgrade",
            _ => $"[postgresql] dovecot-role {role}: no such role in the cluster: create Dovecot's login role (as postgres: CREATE ROLE {role} LOGIN PASSWORD '...'), then run imaproot db upgrade",
        };
    }

    /// <summary>Reads the role's membership, changing nothing.</summary>
    /// <exception cref="StateDatabaseException">The server cannot be reached or failed.</exception>
    public static Membership Read(StateDatabase database, string role)
    {
        ArgumentNullException.ThrowIfNull(database);
        using NpgsqlConnection connection = database.Open();
        return database.Run(() => Read(connection, null, role));
    }

    /// <summary>Makes the role a member in the caller's transaction; false when it already was one.</summary>
    /// <exception cref="StateDatabaseException">No such role: nothing may be committed.</exception>
    internal static bool Grant(NpgsqlConnection connection, NpgsqlTransaction transaction, string role, string where)
    {
        Membership membership = Read(connection, transaction, role);
        if (!membership.Exists)
            throw new StateDatabaseException($"{where}: [postgresql] dovecot-role {role}: no such role in the cluster: create Dovecot's login role first (as postgres: CREATE ROLE {role} LOGIN PASSWORD '...'): nothing was changed");
        if (membership.Member)
            return false;
        // The name is checked by the config (lower-case letters, digits, _), quoted all the same.
        using var grant = new NpgsqlCommand($"GRANT {GroupRole} TO \"{role}\"", connection, transaction);
        try
        {
            grant.ExecuteNonQuery();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new StateDatabaseException($"{where}: [postgresql] dovecot-role {role}: imaproot's role may not grant {GroupRole} ({StateDatabase.OneLine(e.MessageText)}): grant it as postgres (GRANT {GroupRole} TO {role}), or give imaproot's role CREATEROLE: nothing was changed", e);
        }
        return true;
    }

    private static Membership Read(NpgsqlConnection connection, NpgsqlTransaction? transaction, string role)
    {
        using var command = new NpgsqlCommand(
            $"SELECT r.oid IS NOT NULL, r.oid IS NOT NULL AND g.oid IS NOT NULL AND pg_has_role(r.oid, g.oid, 'MEMBER') " +
            $"FROM (SELECT 1) one LEFT JOIN pg_catalog.pg_roles r ON r.rolname = $1 LEFT JOIN pg_catalog.pg_roles g ON g.rolname = '{GroupRole}'",
            connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = role });
        using NpgsqlDataReader reader = command.ExecuteReader();
        reader.Read();
        return new Membership(reader.GetBoolean(0), reader.GetBoolean(1));
    }
}
