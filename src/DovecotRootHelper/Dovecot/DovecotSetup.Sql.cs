namespace DovecotRootHelper.Dovecot;

/// <summary>The pgsql all-services setup: the sql userdb and passdb calling imaproot's schema functions.</summary>
public sealed partial class DovecotSetup
{
    /// <summary>The function of imaproot's schema the sql userdb's query calls.</summary>
    public const string UserdbFunction = "imaproot.userdb";

    /// <summary>The function of imaproot's schema the refusal passdb's query calls.</summary>
    public const string RefusalFunction = "imaproot.refusal";

    // 2.3 keeps an sql userdb's queries in its args file; lib-settings reads it with its includes.
    private const int MaxIncludeDepth = 8;

    /// <summary>Whether a userdb asks PostgreSQL through imaproot's schema (<see cref="UserdbFunction"/>).</summary>
    public bool ReadsSqlUserdb => SqlUserdbIndex >= 0;

    /// <summary>Why a 2.3 sql args file could not be read, for messages; null when every one was.</summary>
    public string? SqlArgsFailure => _userdbs.Concat(_passdbs).Select(b => b.Failure).FirstOrDefault(f => f is not null);

    private int SqlUserdbIndex => _userdbs.FindIndex(u => Calls(u, UserdbFunction, "user_query"));

    /// <summary>
    /// With the sql userdb, one phrase per way the chain keeps it from deciding: no userdb before it
    /// to find the account (its uid and home are the query's), one before it ending every lookup, or a
    /// failing PostgreSQL ending in the earlier userdb's answer (Dovecot's own root) for lack of
    /// <c>result_internalfail = return-fail</c>.
    /// </summary>
    public IReadOnlyList<string> SqlUserdbProblems()
    {
        int sql = SqlUserdbIndex;
        if (sql < 0)
            return [];
        var problems = new List<string>();
        string what = $"the sql userdb calling {UserdbFunction}";
        if (sql == 0)
            problems.Add($"{what} is the first userdb: none before it finds the account (uid, home), so it is never asked");
        if (UserdbEndingLookupsBefore(sql, what) is { } ending)
            problems.Add(ending);
        string failure = _userdbs[sql].Settings.GetValueOrDefault("result_internalfail", "continue");
        if (failure != "return-fail")
            problems.Add($"{what} has result_internalfail = {failure}: while PostgreSQL cannot be asked Dovecot would hand every user its own root; set result_internalfail = return-fail (as the snippet does)");
        return problems;
    }

    /// <summary>The userdb before the sql userdb that ends every lookup, in one phrase, or null.</summary>
    public string? UserdbEndingLookupsBeforeSql() => UserdbEndingLookupsBefore(SqlUserdbIndex, $"the sql userdb calling {UserdbFunction}");

    /// <summary>As <see cref="RefusalPassdbProblem(string, string)"/>, for the sql passdb calling <see cref="RefusalFunction"/>.</summary>
    public string? SqlRefusalPassdbProblem() =>
        RefusalPassdbProblem(_passdbs.FindIndex(p => Calls(p, RefusalFunction, "password_query")), RefusalFunction);

    // 2.4: the query is a setting of the block (query only inside a block named sql); 2.3: a line of args.
    private static bool Calls(ConfigBlock block, string function, string query23) =>
        block.Driver == "sql"
        && ((string[])["sql_query", "query", "userdb_sql_query", "passdb_sql_query", query23])
            .Any(key => block.Settings.TryGetValue(key, out string? query) && query.Contains(function + "(", StringComparison.Ordinal));

    // A 2.3 sql userdb or passdb names its settings file in args; its queries become the block's settings.
    private static void ReadSqlArgs(ConfigBlock block, Func<string, string>? readFile)
    {
        if (readFile is null || block.Driver != "sql" || !block.Settings.TryGetValue("args", out string? args) || !Path.IsPathRooted(args))
            return;
        try
        {
            foreach ((string key, string value) in SqlArgs(args, readFile, 0))
                block.Settings.TryAdd(key, value);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            block.Failure = $"cannot read {args}, the sql {block.Type}'s args: {e.Message}";
        }
    }

    // lib-settings' syntax: "key = value", "#" comments, !include and !include_try.
    private static IEnumerable<(string Key, string Value)> SqlArgs(string path, Func<string, string> readFile, int depth)
    {
        if (depth > MaxIncludeDepth)
            throw new IOException($"{path}: included more than {MaxIncludeDepth} deep");
        foreach (string raw in readFile(path).Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
                continue;
            string[] words = Words(line);
            if (words[0] is "!include" or "!include_try" && words.Length == 2)
            {
                string included = Path.IsPathRooted(words[1]) ? words[1] : Path.Combine(Path.GetDirectoryName(path) ?? "/", words[1]);
                IEnumerable<(string, string)> settings;
                try
                {
                    settings = [.. SqlArgs(included, readFile, depth + 1)];
                }
                catch (Exception e) when (words[0] == "!include_try" && e is FileNotFoundException or DirectoryNotFoundException)
                {
                    continue;
                }
                foreach ((string, string) setting in settings)
                    yield return setting;
                continue;
            }
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
                yield return (line[..eq].Trim(), Unquote(line[(eq + 1)..].Trim()));
        }
    }
}
