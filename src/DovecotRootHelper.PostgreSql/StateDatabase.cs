using Npgsql;

namespace DovecotRootHelper.PostgreSql;

/// <summary>
/// The PostgreSQL database holding the state, reached with <see cref="ConnectionSettings"/>
/// through Npgsql's slim builder (native-AOT clean: only the type handlers and features enabled
/// here are linked; TLS is, for a site whose server is across the network).
/// </summary>
public sealed class StateDatabase : IDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    public StateDatabase(ConnectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        var connection = new NpgsqlConnectionStringBuilder
        {
            Host = settings.Host,
            Port = settings.Port,
            Database = settings.Database,
            Username = settings.User,
            Password = settings.Password,
            SslMode = SslModeOf(settings.SslMode),
            RootCertificate = settings.SslRootCert,
            ApplicationName = "imaproot",
            // One command a process: a server that does not answer is reported, not waited on for ever.
            Timeout = 10,
            CommandTimeout = 60,
            // Never read a password from the environment or ~/.pgpass behind the file's back.
            Passfile = "/dev/null",
            TargetSessionAttributes = settings.TargetSessionAttributes,
        };
        var builder = new NpgsqlSlimDataSourceBuilder(connection.ConnectionString);
        builder.EnableTransportSecurity();
        builder.EnableArrays();
        // imaproot uses only built-in types (text, bigint, boolean, timestamptz, text[]): the
        // catalogue queries Npgsql otherwise makes on a process's first connection are not needed.
        builder.ConfigureTypeLoading(types => types.EnableTypeLoading(false));
        _dataSource = builder.Build();
    }

    public ConnectionSettings Settings { get; }

    /// <summary>An open connection.</summary>
    /// <exception cref="StateDatabaseException">The server cannot be reached or refused the login.</exception>
    public NpgsqlConnection Open()
    {
        try
        {
            return _dataSource.OpenConnection();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
        {
            throw new StateDatabaseException($"{Settings.Source}: cannot connect to the {Settings.Describe()}: {OneLine(e.Message)}", e) { Unreachable = true };
        }
    }

    public void Dispose() => _dataSource.Dispose();

    /// <summary>Runs <paramref name="work"/> against the database, its failures one line naming the database.</summary>
    /// <exception cref="StateDatabaseException">The server failed the command or could not be reached.</exception>
    public T Run<T>(Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            return work();
        }
        catch (PostgresException e)
        {
            throw new StateDatabaseException($"{Settings.Source}: the {Settings.Describe()}: {OneLine(e.MessageText)} (SQLSTATE {e.SqlState})", e);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
        {
            throw new StateDatabaseException($"{Settings.Source}: the {Settings.Describe()}: {OneLine(e.Message)}", e) { Unreachable = true };
        }
    }

    /// <inheritdoc cref="Run{T}(Func{T})"/>
    public void Run(Action work) => Run(() =>
    {
        work();
        return true;
    });

    internal static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    private static SslMode SslModeOf(string name) => name switch
    {
        "disable" => SslMode.Disable,
        "allow" => SslMode.Allow,
        "prefer" => SslMode.Prefer,
        "require" => SslMode.Require,
        "verify-ca" => SslMode.VerifyCA,
        "verify-full" => SslMode.VerifyFull,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not an sslmode"),
    };
}
