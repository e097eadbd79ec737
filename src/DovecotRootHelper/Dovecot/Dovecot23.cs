using DovecotRootHelper.Locations;

namespace DovecotRootHelper.Dovecot;

/// <summary>Dovecot 2.3 (Debian 12): one <c>mail</c> field in <c>mail_location</c> syntax; checkpassword; the internal protocols this project speaks were checked against 2.3.19.</summary>
internal sealed class Dovecot23 : DovecotGeneration
{
    public override string Name => "2.3";

    public override string Variable(string name) => name switch
    {
        "user" => "%u",
        "username" => "%n",
        "domain" => "%d",
        "home" => "%h",
        _ => throw new ArgumentException($"no Dovecot variable '{name}'", nameof(name)),
    };

    public override bool HasCheckpassword => true;

    public override bool ScriptLoginFinishChecked => true;

    public override bool PostLoginServiceChecked => true;

    public override IReadOnlyList<KeyValuePair<string, string>> UserdbFields(MailLocation location) =>
        [new("mail", location.ToDovecot23())];

    public override IReadOnlyList<string> LocationSettings { get; } = ["mail_location"];

    public override string? GlobalLocation(IReadOnlyDictionary<string, string> settings) =>
        settings.TryGetValue("mail_location", out string? value) && value.Length > 0 ? value : null;

    // "mail" is an alias of mail_location in 2.3's userdb.
    public override IReadOnlyList<string> Aliases(string key) => key == "mail" ? ["mail_location"] : [];
}
