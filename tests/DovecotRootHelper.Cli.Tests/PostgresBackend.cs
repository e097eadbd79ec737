namespace DovecotRootHelper.Cli.Tests;

/// <summary>Turns a <see cref="CliHome"/>'s config to <c>[state] backend = postgresql</c> on a private cluster's database.</summary>
internal static class PostgresBackend
{
    public static void Use(CliHome home, PrivatePostgres postgres, string database)
    {
        string conninfo = Path.Combine(home.Home.Root, "pgconn");
        File.WriteAllText(conninfo, postgres.Conninfo(database));
        File.SetUnixFileMode(conninfo, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        string config = File.ReadAllText(home.Home.ConfigPath)
            .Replace("[state]\n", "[state]\nbackend = postgresql\n", StringComparison.Ordinal);
        File.WriteAllText(home.Home.ConfigPath, config + $"\n[postgresql]\nconninfo-file = {conninfo}\n");
    }
}
