using DovecotRootHelper.Locations;

namespace DovecotRootHelper.Dovecot;

/// <summary>
/// Dovecot 2.4 (Debian 13): <c>mail_location</c> is split into settings, and userdb fields override
/// them one by one. Handing over only the settings a template names would let a global one the
/// template leaves out (Debian 13's <c>mail_inbox_path = /var/mail/%{user}</c>) still apply, so every
/// setting a template can carry is handed over, with the driver's own default (2.4.1's
/// <c>*-settings.c</c>) where the template says nothing. No checkpassword; the internal protocols are
/// not checked against 2.4 (see the README).
/// </summary>
internal sealed class Dovecot24 : DovecotGeneration
{
    /// <summary>The 2.4 setting each <c>mail_location</c> parameter became, in the order the fields are listed.</summary>
    internal static readonly IReadOnlyList<KeyValuePair<string, string>> Settings =
    [
        new("INBOX", "mail_inbox_path"),
        new("INDEX", "mail_index_path"),
        new("INDEXPVT", "mail_index_private_path"),
        new("CONTROL", "mail_control_path"),
        new("VOLATILEDIR", "mail_volatile_path"),
        new("ALT", "mail_alt_path"),
        new("LAYOUT", "mailbox_list_layout"),
        new("SUBSCRIPTIONS", "mailbox_subscriptions_filename"),
        new("DIRNAME", "mailbox_directory_name"),
        new("MAILBOXDIR", "mailbox_root_directory_name"),
        new("UTF8", "mailbox_list_utf8"),
    ];

    public override string Name => "2.4";

    // No blanks around '|': a passwd-file's extra fields are separated by blanks.
    public override string Variable(string name) => name switch
    {
        "user" => "%{user}",
        "username" => "%{user|username}",
        "domain" => "%{user|domain}",
        "home" => "%{home}",
        _ => throw new ArgumentException($"no Dovecot variable '{name}'", nameof(name)),
    };

    public override bool HasCheckpassword => false;

    // script-login's request and reply read the same in 2.3.19 and 2.4.1's sources, but the in-process
    // finish has not been run against a live 2.4: it falls back to exec'ing script-login.
    public override bool ScriptLoginFinishChecked => false;

    // 2.4's master hands a service its configuration on fd 7 and the listeners from fd 8, and asks
    // idle processes to go differently (IDLE_KILL_INTERVAL): not the protocol the service speaks.
    public override bool PostLoginServiceChecked => false;

    public override IReadOnlyList<KeyValuePair<string, string>> UserdbFields(MailLocation location)
    {
        var fields = new List<KeyValuePair<string, string>>(2 + Settings.Count)
        {
            new("mail_driver", location.Driver),
            new("mail_path", location.Path),
        };
        foreach (KeyValuePair<string, string> setting in Settings)
        {
            bool given = Gives(location, setting.Key);
            string value = setting.Key == "UTF8"
                ? (given ? "yes" : "no")
                : location.Parameter(setting.Key) ?? DriverDefault(location, setting.Value);
            fields.Add(new(setting.Value, value));
        }
        return fields;
    }

    private static bool Gives(MailLocation location, string key)
    {
        foreach (KeyValuePair<string, string?> p in location.Parameters)
        {
            if (p.Key == key)
                return true;
        }
        return false;
    }

    public override IReadOnlyList<string> Aliases(string key) => [];

    public override IReadOnlyList<string> LocationSettings { get; } = SettingNames();

    private static List<string> SettingNames()
    {
        var names = new List<string>(2 + Settings.Count) { "mail_driver", "mail_path" };
        foreach (KeyValuePair<string, string> setting in Settings)
            names.Add(setting.Value);
        return names;
    }

    // doveconf prints the global value, not the driver's (an mbox site still reads
    // mailbox_subscriptions_filename = subscriptions): a setting at 2.4.1's global default
    // (mail-storage-settings.c) is one the site did not set, and stays out of the location.
    public override string? GlobalLocation(IReadOnlyDictionary<string, string> settings)
    {
        string driver = settings.GetValueOrDefault("mail_driver", "");
        if (driver.Length == 0)
            return null;
        var text = new System.Text.StringBuilder(driver).Append(':').Append(Escaped(settings.GetValueOrDefault("mail_path", "")));
        // A setting at the driver's own default (a Maildir's mail_inbox_path = .) is left out too: the
        // fields handed over for the location give it again, and a relative path is no template's.
        var layout = new MailLocation(driver, "", [new("LAYOUT", settings.GetValueOrDefault("mailbox_list_layout", GlobalDefault("mailbox_list_layout")))]);
        foreach (KeyValuePair<string, string> setting in Settings)
        {
            string value = settings.GetValueOrDefault(setting.Value, "");
            if (setting.Key == "UTF8")
            {
                if (value == "yes")
                    text.Append(":UTF8");
            }
            else if (value != GlobalDefault(setting.Value) && (setting.Key == "LAYOUT" || value != DriverDefault(layout, setting.Value)))
            {
                text.Append(':').Append(setting.Key).Append('=').Append(Escaped(value));
            }
        }
        return text.ToString();

        static string Escaped(string value) => value.Replace(":", "::", StringComparison.Ordinal);
    }

    private static string GlobalDefault(string setting) => setting switch
    {
        "mailbox_list_layout" => "fs",
        "mailbox_subscriptions_filename" => "subscriptions",
        _ => "",
    };

    /// <summary>The value 2.4.1 gives <paramref name="setting"/> for the location's driver when nothing else sets it.</summary>
    internal static string DriverDefault(MailLocation location, string setting)
    {
        string driver = location.Driver;
        bool dbox = driver is "sdbox" or "mdbox";
        string layout = location.Parameter("LAYOUT") ?? (driver == "maildir" ? "maildir++" : "fs");
        return setting switch
        {
            // maildir: Maildir/ itself is INBOX in its two usual layouts; mbox: $mail_path/inbox with layout fs.
            "mail_inbox_path" => driver switch
            {
                "maildir" when layout is "maildir++" or "fs" => ".",
                "mbox" when layout == "fs" => "inbox",
                _ => "",
            },
            "mailbox_list_layout" => layout,
            "mailbox_subscriptions_filename" => driver == "mbox" ? ".subscriptions" : "subscriptions",
            "mailbox_directory_name" => dbox ? "dbox-Mails" : "",
            "mailbox_root_directory_name" => dbox ? "mailboxes" : "",
            _ => "",
        };
    }
}
