using DovecotRootHelper.Configuration;

namespace DovecotRootHelper.Fuzz.Targets;

/// <summary>
/// The config file. Rejection: <see cref="ConfigException"/>. Accepted ⇒ its paths are absolute,
/// its templates parse again from their own text, parsing it again gives the same settings, and a
/// login (<see cref="LoginSettings"/>) accepts it too and reads the same settings from it.
/// </summary>
internal static class ConfigTarget
{
    public static void Run(byte[] input)
    {
        HelperConfig config;
        try
        {
            config = HelperConfig.Parse(input, "/etc/dovecot-root-helper.conf");
        }
        catch (ConfigException)
        {
            return;
        }
        FuzzFindingException.Unless(config.StateFile.StartsWith('/'), $"[state] file '{config.StateFile}' accepted but not an absolute path");
        FuzzFindingException.Unless(config.UserdbFile is null || config.UserdbFile.StartsWith('/'), $"[state] userdb '{config.UserdbFile}' accepted but not an absolute path");
        FuzzFindingException.Unless(config.Migration.JournalDirectory.StartsWith('/'), $"[migration] journal-dir '{config.Migration.JournalDirectory}' accepted but not an absolute path");
        foreach (DoveadmAddress server in config.Migration.DoveadmServers)
            FuzzFindingException.Unless(DoveadmAddress.Parse(server.ToString(), out _) == server, $"[migration] doveadm-servers: '{server}' accepted but does not read back as itself");
        LocationTarget.Reparses(config.Migrated);
        if (config.Legacy is not null)
            LocationTarget.Reparses(config.Legacy);
        HelperConfig again = HelperConfig.Parse(input, "/etc/dovecot-root-helper.conf");
        FuzzFindingException.Unless(Describe(again) == Describe(config), "parsing the same config twice gave different settings");
        LoginSettings login = LoginSettings.Parse(input, "/etc/dovecot-root-helper.conf");
        FuzzFindingException.Unless(DescribeLogin(login) == DescribeLogin(config), "a login read other settings than imaproot from the same config");
    }

    private static string DescribeLogin(LoginSettings c) =>
        $"{c.Generation}|{c.PostLoginFinish}|{c.Legacy?.Text}|{c.Migrated.Text}|{c.StateFile}|{c.DefaultState}|{c.MigratedFromUid}|{c.LogDecisions}";

    private static string Describe(HelperConfig c) =>
        $"{c.Generation}|{c.PostLoginFinish}|{c.Legacy?.Text}|{c.Migrated.Text}|{c.StateFile}|{c.DefaultState}|{c.MigratedFromUid}|{c.LogDecisions}|{c.Migration}|{c.UserdbFile}|{c.DoveconfCommand}";
}
