using System.Globalization;
using System.Text;
using System.Text.Unicode;
using DovecotRootHelper.Configuration;
using DovecotRootHelper.Posix;

namespace DovecotRootHelper.PostgreSql;

/// <summary>
/// The file <c>[postgresql] conninfo-file</c> names: one <c>key = value</c> a line, <c>#</c>
/// comments and blank lines allowed, the keys libpq's (host, port, dbname, user, password, sslmode,
/// sslrootcert). It holds the password, so it is never a command-line argument, and it must pass
/// the state file's trust rule (<see cref="TrustedFile"/>: a regular file, root's, writable by
/// nobody else) and, like libpq's ~/.pgpass, be readable by nobody else either.
/// </summary>
public static class ConninfoFile
{
    private const long MaxSize = 64 * 1024;

    /// <summary>The keys the file may hold.</summary>
    public static IReadOnlyList<string> Keys { get; } = ["host", "port", "dbname", "user", "password", "sslmode", "sslrootcert", "target_session_attrs"];

    /// <summary>libpq's target_session_attrs values (which of several hosts to use); Npgsql knows the same.</summary>
    public static IReadOnlyList<string> TargetSessionAttributes { get; } = ["any", "read-write", "read-only", "primary", "standby", "prefer-standby"];

    /// <summary>libpq's sslmode values: what each one checks is libpq's, and Npgsql's is the same.</summary>
    public static IReadOnlyList<string> SslModes { get; } = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"];

    /// <summary>Reads and checks the file at <paramref name="path"/>.</summary>
    /// <exception cref="ConfigException">The file cannot be opened, breaks the rule, or a line is wrong: one line naming the file and line.</exception>
    public static ConnectionSettings Load(string path)
    {
        ReadOnlyMemory<byte> bytes;
        FileStatus status;
        try
        {
            bytes = TrustedFile.Read(path, MaxSize, out status);
        }
        catch (UntrustedFileException e)
        {
            throw new ConfigException(path, 0, $"{e.Problem}; the PostgreSQL connection file must be root's and writable by nobody else");
        }
        // Group or others may read, write or execute it (mode & 077).
        if ((status.Permissions & 0x3F) != 0)
            throw new ConfigException(path, 0, $"mode {Convert.ToString(status.Permissions, 8)} lets others than its owner read it, and it holds the database password: chmod 600 {path}");
        return Parse(bytes.Span, path);
    }

    /// <summary>Parses the file's contents; <paramref name="path"/> only names it in messages.</summary>
    /// <exception cref="ConfigException">The first wrong line, named with file and line.</exception>
    public static ConnectionSettings Parse(ReadOnlySpan<byte> content, string path)
    {
        if (!Utf8.IsValid(content))
            throw new ConfigException(path, 0, "not valid UTF-8");
        var values = new Dictionary<string, (string Value, int Line)>(StringComparer.Ordinal);
        string[] lines = Encoding.UTF8.GetString(content).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            int line = i + 1;
            string text = lines[i].TrimEnd('\r').Trim();
            if (text.Length == 0 || text[0] == '#')
                continue;
            if (text.Any(char.IsControl))
                throw new ConfigException(path, line, "a control character: expected key = value");
            int equals = text.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
                throw new ConfigException(path, line, $"expected key = value, one of {string.Join(", ", Keys)}");
            string key = text[..equals].Trim();
            // The value is everything after '=': a password may hold '#', '=' and blanks inside.
            string value = text[(equals + 1)..].Trim();
            if (!Keys.Contains(key))
                throw new ConfigException(path, line, $"unknown key '{key}': expected one of {string.Join(", ", Keys)}");
            if (value.Length == 0)
                throw new ConfigException(path, line, $"{key} is empty: remove the line to use the default");
            if (!values.TryAdd(key, (value, line)))
                throw new ConfigException(path, line, $"{key} given twice (first on line {values[key].Line})");
        }
        string Get(string key, string fallback) => values.TryGetValue(key, out var v) ? v.Value : fallback;
        ConfigException Bad(string key, string expected) =>
            new(path, values[key].Line, $"{key} = {values[key].Value}: {expected}");

        string host = Get("host", "/run/postgresql");
        int port = 5432;
        if (values.TryGetValue("port", out var portLine)
            && (!int.TryParse(portLine.Value, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            throw Bad("port", "expected a port number, 1 to 65535");
        }
        if (!values.TryGetValue("dbname", out var database))
            throw new ConfigException(path, 0, "no dbname line: the database holding imaproot's state must be named");
        if (!values.TryGetValue("user", out var user))
            throw new ConfigException(path, 0, "no user line: the role imaproot connects as must be named");
        // The default is libpq's own: TLS if the server offers it over TCP; a Unix socket has none.
        string sslMode = Get("sslmode", "prefer");
        if (!SslModes.Contains(sslMode))
            throw Bad("sslmode", $"expected one of {string.Join(", ", SslModes)}");
        string? rootCert = values.TryGetValue("sslrootcert", out var cert) ? cert.Value : null;
        if (rootCert is not null && !rootCert.StartsWith('/'))
            throw Bad("sslrootcert", "expected an absolute path");
        if (sslMode is "verify-ca" or "verify-full" && rootCert is null)
            throw Bad("sslmode", "needs sslrootcert, the CA certificate the server's must be signed by");
        // With several hosts (host = a,b) after a failover: the one that takes writes.
        string targets = Get("target_session_attrs", "any");
        if (!TargetSessionAttributes.Contains(targets))
            throw Bad("target_session_attrs", $"expected one of {string.Join(", ", TargetSessionAttributes)}");
        return new ConnectionSettings(host, port, database.Value, user.Value,
            values.TryGetValue("password", out var password) ? password.Value : null, sslMode, rootCert)
        { Source = path, TargetSessionAttributes = targets };
    }
}
