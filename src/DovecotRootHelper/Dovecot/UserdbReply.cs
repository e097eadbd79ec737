namespace DovecotRootHelper.Dovecot;

/// <summary>
/// What a post-login script changes in the environment it hands on: the variables it sets, the
/// ones it drops, and the new <c>USERDB_KEYS</c> (each field listed once; our own settings and
/// earlier values of the same setting never reach Dovecot). The login hook applies it;
/// <c>imaproot explain</c> shows it.
/// </summary>
public sealed record UserdbReply(
    IReadOnlyList<KeyValuePair<string, string>> Set,
    IReadOnlyList<string> Removed,
    IReadOnlyList<string> Keys)
{
    public const string KeysVariable = "USERDB_KEYS";

    /// <summary>A userdb field (and environment variable) naming the hook's config file; it never reaches Dovecot.</summary>
    public const string ConfigVariable = "DOVECOT_ROOT_HELPER_CONFIG";

    /// <summary>A userdb field that names the protocol (set with override_fields), for the refusal line.</summary>
    public const string ProtocolVariable = "DOVECOT_ROOT_HELPER_PROTOCOL";

    /// <summary>The reply for <paramref name="fields"/> (lower-case userdb keys) given the USERDB_KEYS Dovecot passed in.</summary>
    public static UserdbReply ForPostLogin(string? incomingKeys, IReadOnlyList<KeyValuePair<string, string>> fields, DovecotGeneration generation)
    {
        var replaced = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ConfigVariable, ProtocolVariable };
        var removed = new List<string>();
        foreach (KeyValuePair<string, string> field in fields)
        {
            replaced.Add(field.Key);
            foreach (string alias in generation.Aliases(field.Key))
            {
                replaced.Add(alias);
                removed.Add(alias.ToUpperInvariant());
            }
        }
        var keys = new List<string>();
        foreach (string key in (incomingKeys ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!replaced.Contains(key))
                keys.Add(key);
        }
        var set = new List<KeyValuePair<string, string>>(fields.Count);
        foreach (KeyValuePair<string, string> field in fields)
        {
            string variable = field.Key.ToUpperInvariant();
            set.Add(new(variable, field.Value));
            keys.Add(variable);
        }
        removed.Add(ConfigVariable);
        removed.Add(ProtocolVariable);
        return new UserdbReply(set, removed, keys);
    }

    /// <summary>The value USERDB_KEYS gets.</summary>
    public string KeysValue => string.Join(' ', Keys);
}
