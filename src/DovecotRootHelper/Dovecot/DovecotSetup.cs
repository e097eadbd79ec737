namespace DovecotRootHelper.Dovecot;

/// <summary>
/// Which part of dovecot-root-helper Dovecot really runs, read from its own settings
/// (<c>doveconf -n</c>, both generations' syntax): whether a userdb reads the all-services
/// passwd-file and whether an earlier userdb ends every lookup before it; which login services run
/// the hook as a post-login script; whether a checkpassword userdb is the hook. What the admin meant
/// to install is no proof: a setup Dovecot ignores would let a migration move mail where nobody looks.
/// </summary>
public sealed partial class DovecotSetup
{
    /// <summary>The login protocols a post-login script can serve.</summary>
    public static readonly IReadOnlyList<string> LoginProtocols = ["imap", "pop3"];

    private readonly List<ConfigBlock> _userdbs;
    private readonly List<ConfigBlock> _passdbs;
    private readonly Dictionary<string, string> _serviceExecutables;

    private DovecotSetup(IReadOnlyList<string> protocols, List<ConfigBlock> userdbs, List<ConfigBlock> passdbs, Dictionary<string, string> serviceExecutables)
    {
        Protocols = protocols;
        _userdbs = userdbs;
        _passdbs = passdbs;
        _serviceExecutables = serviceExecutables;
    }

    /// <summary>The protocols Dovecot serves (<c>protocols</c>; 2.3's default when unset).</summary>
    public IReadOnlyList<string> Protocols { get; }

    /// <summary>Reads <c>doveconf -n</c>'s output: top-level settings and blocks, nested blocks skipped.</summary>
    /// <param name="doveconf">doveconf -n's output.</param>
    /// <param name="readFile">
    /// Reads a file Dovecot's auth reads (2.3's sql <c>args</c> file, which doveconf does not print);
    /// null: such files are not read, and no 2.3 sql userdb is recognised.
    /// </param>
    public static DovecotSetup Parse(string doveconf, Func<string, string>? readFile = null)
    {
        string? protocols = null;
        var userdbs = new List<ConfigBlock>();
        var passdbs = new List<ConfigBlock>();
        var services = new Dictionary<string, string>(StringComparer.Ordinal);
        ConfigBlock? block = null;
        int depth = 0;
        foreach (string raw in doveconf.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
                continue;
            if (line.EndsWith('{'))
            {
                depth++;
                if (depth == 1)
                    block = new ConfigBlock(line[..^1].Trim());
                continue;
            }
            if (line == "}")
            {
                if (depth == 1 && block is not null)
                {
                    if (block.Type is "userdb" or "passdb")
                        ReadSqlArgs(block, readFile);
                    if (block.Type == "userdb")
                        userdbs.Add(block);
                    else if (block.Type == "passdb")
                        passdbs.Add(block);
                    else if (block.Type == "service" && block.Settings.TryGetValue("executable", out string? executable))
                        services[block.Name] = executable;
                    block = null;
                }
                depth = Math.Max(0, depth - 1);
                continue;
            }
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
                continue;
            string key = line[..eq].Trim();
            string value = Unquote(line[(eq + 1)..].Trim());
            if (depth == 0 && key == "protocols")
                protocols = value;
            else if (depth == 1 && block is not null)
                block.Settings[key] = value;
        }
        string[] served = (protocols ?? "imap pop3 lmtp").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new DovecotSetup(served, userdbs, passdbs, services);
    }

    /// <summary>Whether a userdb reads <paramref name="userdbFile"/> (the all-services passwd-file).</summary>
    public bool ReadsUserdb(string? userdbFile) => userdbFile is not null && OverlayIndex(userdbFile) >= 0;

    /// <summary>Whether a checkpassword userdb runs the hook (2.3): every service then asks it.</summary>
    public bool HookIsCheckpasswordUserdb =>
        _userdbs.Any(u => u.Driver == "checkpassword" && u.Settings.TryGetValue("args", out string? args) && NamesHook(args));

    /// <summary>Whether the login service of <paramref name="protocol"/> runs the hook: as a post-login script or as the post-login service itself.</summary>
    public bool RunsHookAtLogin(string protocol)
    {
        if (!_serviceExecutables.TryGetValue(protocol, out string? executable))
            return false;
        foreach (string postLogin in Words(executable).Skip(1))
        {
            if (!_serviceExecutables.TryGetValue(postLogin, out string? script))
                continue;
            string[] words = Words(script);
            if (words.Length > 0 && NamesHook(words[0]))
                return true;
            if (words.Length > 1 && Path.GetFileName(words[0]) == "script-login" && words.Skip(1).Any(NamesHook))
                return true;
        }
        return false;
    }

    /// <summary>
    /// The userdb before the all-services passwd-file that ends every lookup it answers (no
    /// <c>result_success = continue</c> or <c>continue-ok</c>), described in one phrase, or null.
    /// </summary>
    public string? UserdbEndingLookupsBefore(string userdbFile) => UserdbEndingLookupsBefore(OverlayIndex(userdbFile), userdbFile);

    // The first userdb before the one at index that ends the lookups it answers; what names that one.
    private string? UserdbEndingLookupsBefore(int index, string what)
    {
        for (int i = 0; i < index; i++)
        {
            ConfigBlock userdb = _userdbs[i];
            string success = userdb.Settings.GetValueOrDefault("result_success", "return-ok");
            if (success is not ("continue" or "continue-ok"))
                return $"userdb {i + 1} of {_userdbs.Count} (driver {userdb.Driver}, result_success = {success}) answers before {what} is read";
        }
        return null;
    }

    /// <summary>
    /// With the all-services userdb, the passdb that tells a migrating user's client why (reading
    /// <paramref name="refusalFile"/>) and every passdb before it letting the login go on to it: one
    /// phrase for what is missing, or null.
    /// </summary>
    /// <param name="refusalFile">What 2.3's dict passdb reads (its <c>args</c>).</param>
    /// <param name="migratingFile">What 2.4's passwd-file passdb reads (its <c>passwd_file_path</c>, from the included settings).</param>
    public string? RefusalPassdbProblem(string refusalFile, string migratingFile) =>
        RefusalPassdbProblem(_passdbs.FindIndex(p =>
            p.Settings.GetValueOrDefault("args") == refusalFile || p.Settings.GetValueOrDefault("passwd_file_path") == migratingFile), refusalFile);

    private string? RefusalPassdbProblem(int refusal, string refusalFile)
    {
        if (refusal < 0)
            return $"no passdb reads {refusalFile} (the all-services snippet's last passdb), so a migrating user's client is not told why it is refused";
        for (int i = 0; i < refusal; i++)
        {
            ConfigBlock passdb = _passdbs[i];
            string success = passdb.Settings.GetValueOrDefault("result_success", "return-ok");
            if (success is not ("continue" or "continue-ok"))
                return $"passdb {i + 1} of {_passdbs.Count} (driver {passdb.Driver}, result_success = {success}) ends every login before the one that reads {refusalFile}, so a migrating user's client may see the connection closed with nothing said: add \"result_success = continue-ok\" to that passdb";
        }
        return null;
    }

    /// <summary>What Dovecot runs of ours, in a few words, for check's report.</summary>
    public string Describe(string? userdbFile)
    {
        var parts = new List<string>();
        if (ReadsUserdb(userdbFile))
            parts.Add($"all-services userdb ({userdbFile})");
        if (ReadsSqlUserdb)
            parts.Add($"all-services pgsql userdb ({UserdbFunction})");
        if (HookIsCheckpasswordUserdb)
            parts.Add("checkpassword userdb");
        string[] hooked = [.. LoginProtocols.Where(p => Protocols.Contains(p) && RunsHookAtLogin(p))];
        if (hooked.Length > 0)
            parts.Add($"post-login hook for {string.Join(" and ", hooked)}");
        return parts.Count == 0 ? "nothing of dovecot-root-helper" : string.Join(", ", parts);
    }

    private int OverlayIndex(string userdbFile) =>
        _userdbs.FindIndex(u => u.Driver == "passwd-file" && UserdbPath(u) == userdbFile);

    // 2.3: args = [options] PATH; 2.4: passwd_file_path = PATH.
    private static string? UserdbPath(ConfigBlock userdb) =>
        userdb.Settings.TryGetValue("passwd_file_path", out string? path) ? path
        : userdb.Settings.TryGetValue("args", out string? args) ? Words(args).LastOrDefault()
        : null;

    private static bool NamesHook(string word) =>
        Path.GetFileName(word).StartsWith("dovecot-root-helper", StringComparison.Ordinal);

    private static string[] Words(string value) => value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);

    private static string Unquote(string value) =>
        value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1].Trim() : value;

    /// <summary>One top-level block of doveconf's output: <c>TYPE [NAME] {</c> and its own settings.</summary>
    private sealed class ConfigBlock
    {
        public ConfigBlock(string header)
        {
            string[] words = Words(header);
            Type = words.Length > 0 ? words[0] : "";
            Name = words.Length > 1 ? Unquote(words[1]) : "";
        }

        public string Type { get; }

        public string Name { get; }

        public Dictionary<string, string> Settings { get; } = new(StringComparer.Ordinal);

        /// <summary>Why a file the block names (2.3's sql args) could not be read; null when it was, or names none.</summary>
        public string? Failure { get; set; }

        // 2.4 names a userdb after its driver unless driver is set.
        public string Driver => Settings.GetValueOrDefault("driver", Name);
    }
}
