using System.Globalization;

namespace DovecotRootHelper.Testing;

/// <summary>
/// Real Unix accounts for the tests that need getpwnam to know a user (the checkpassword modes,
/// imaproot): created with useradd as root and removed with userdel, with the account's own group,
/// when the test fixture is disposed (<see cref="Remove"/>) or at the latest when the test process
/// exits. Only names with a test prefix and uids in the test range are ever created or removed;
/// build.sh test removes what an interrupted run left by the same rule.
/// </summary>
public static class UnixTestAccount
{
    /// <summary>The prefixes of every account a test or benchmark creates (build.sh's cleanup uses the same).</summary>
    public static readonly string[] Prefixes = ["drhcp-", "drhmig-", "drhall-", "drhbench-"];

    /// <summary>The uids test accounts get, inclusive (build.sh's cleanup uses the same).</summary>
    public const int FirstUid = 21000, LastUid = 22999;

    private static readonly HashSet<string> Used = [];

    private static readonly Lock Changes = new();

    static UnixTestAccount() => AppDomain.CurrentDomain.ProcessExit += (_, _) => RemoveAll();

    /// <summary>The account <paramref name="name"/> with uid <paramref name="uid"/> and home <paramref name="home"/>, created or updated; removed when the process exits at the latest.</summary>
    public static TestUser Ensure(string name, int uid, string home)
    {
        if (!IsTestAccount(name, uid))
            throw new ArgumentException($"{name} (uid {uid}) is not a test account: names start with {string.Join(" or ", Prefixes)}, uids are {FirstUid}-{LastUid}");
        lock (Used)
            Used.Add(name);
        // One account change at a time: the generations' classes run side by side, and useradd,
        // usermod and userdel can fail while another of them holds /etc/passwd's lock.
        lock (Changes)
            return EnsureLocked(name, uid, home);
    }

    private static TestUser EnsureLocked(string name, int uid, string home)
    {
        string[]? entry = Find(name);
        if (entry is null)
        {
            Command.Run("useradd", ["-M", "-U", "-d", home, "-u", uid.ToString(CultureInfo.InvariantCulture), "-s", "/usr/sbin/nologin", name]);
            entry = Find(name) ?? throw new InvalidOperationException($"useradd {name} succeeded but getent does not know {name}");
        }
        if (entry[2] != uid.ToString(CultureInfo.InvariantCulture))
            throw new InvalidOperationException($"the account {name} exists with uid {entry[2]}, not {uid}: remove it (userdel {name}) and rerun");
        if (entry[5] != home)
            Command.Run("usermod", ["-d", home, name]);
        return new TestUser(name, uid, home);
    }

    /// <summary>Removes the test account <paramref name="name"/> and its group, if there is one.</summary>
    public static void Remove(string name)
    {
        lock (Changes)
        {
            string[]? entry = Find(name);
            if (entry is not null && IsTestAccount(name, int.Parse(entry[2], CultureInfo.InvariantCulture)))
                Command.Run("userdel", [name]);
        }
        lock (Used)
            Used.Remove(name);
    }

    /// <summary>Fails the run if <paramref name="name"/> is an account: the tests need a name no Unix account has.</summary>
    public static void RequireMissing(string name)
    {
        if (Find(name) is not null)
            throw new InvalidOperationException($"the tests need {name} not to be a Unix account: remove it (userdel {name}) and rerun");
    }

    private static bool IsTestAccount(string name, int uid) =>
        uid is >= FirstUid and <= LastUid && Prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));

    private static void RemoveAll()
    {
        string[] names;
        lock (Used)
            names = [.. Used];
        foreach (string name in names)
        {
            try
            {
                Remove(name);
            }
            catch (InvalidOperationException)
            {
                // The process is exiting: build.sh test's cleanup removes what is left.
            }
        }
    }

    private static string[]? Find(string name)
    {
        try
        {
            return Command.Run("getent", ["passwd", name]).TrimEnd('\n').Split(':');
        }
        catch (InvalidOperationException)
        {
            // getent exits 2 for a name it does not know.
            return null;
        }
    }
}
