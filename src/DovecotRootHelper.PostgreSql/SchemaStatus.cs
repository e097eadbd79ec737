namespace DovecotRootHelper.PostgreSql;

/// <summary>
/// What <c>imaproot check</c> reads of the database before its users: the schema's version
/// (0: none) and, from version 2 on, the row Dovecot's sql userdb reads, from version 5 on with the
/// target locations' (null: the table is empty).
/// </summary>
public sealed record SchemaStatus(int Version, Dovecot.SqlUserdbSettings? DovecotRow)
{
    /// <summary>Reads both in one connection, changing nothing.</summary>
    /// <exception cref="StateDatabaseException">The server cannot be reached or failed.</exception>
    public static SchemaStatus Read(StateDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        using Npgsql.NpgsqlConnection connection = database.Open();
        return database.Run(() =>
        {
            int version = StateSchema.VersionOf(connection);
            // Version 2 made the table; a newer schema is not read (its columns may mean something else).
            return new SchemaStatus(version, version >= 2 && version <= StateSchema.Current ? DovecotUserdbRow.Read(connection, version) : null);
        });
    }
}
