using System.Text.Json;

namespace DovecotRootHelper.Cli.Tests;

/// <summary>Lines as the usage-logging snippet makes Dovecot write them, scanned into a <see cref="CliHome"/>'s usage database.</summary>
internal static class UsageLog
{
    /// <summary>Writes the lines as the home's Dovecot log, points [usage] at it and a database beside it, and scans it.</summary>
    public static void Scan(CliHome home, IEnumerable<string> lines)
    {
        string log = Path.Combine(home.Home.Root, "dovecot.log");
        File.WriteAllText(log, string.Concat(lines.Select(l => l + "\n")));
        File.AppendAllText(home.Home.ConfigPath, $"\n[usage]\ndatabase = {Path.Combine(home.Home.Root, "usage.sqlite")}\nlogs = {log}\n");
        CliRun scan = home.Run("usage", "scan");
        Assert.True(scan.ExitCode == 0, scan.Stderr);
    }

    /// <summary>The stats exporter's line for one successful command, timed now.</summary>
    public static string Exported(string user, string command, string arguments)
    {
        static string Json(string s) => JsonEncodedText.Encode(s, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();
        return $$$"""Nov 29 10:00:00 stats: Info: {"event":"imap_command_finished","start_time":"{{{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss}}}.000000Z","fields":{"user":"{{{Json(user)}}}","cmd_name":"{{{command}}}","cmd_args":"{{{Json(arguments)}}}","tagged_reply_state":"OK","running_usecs":900000}}""";
    }
}
