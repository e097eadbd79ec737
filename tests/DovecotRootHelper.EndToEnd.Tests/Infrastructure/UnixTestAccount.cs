using System.Globalization;

namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Real Unix accounts for the checkpassword tests: the hook and the test password checker look
/// users up with getpwnam. Created once (as root, with useradd) and left in place; each run only
/// points the account's home at its own temporary directory.
/// </summary>
public static class UnixTestAccount
{
    /// <summary>The account <paramref name="name"/> with uid <paramref name="uid"/> and home <paramref name="home"/>, created or updated.</summary>
    public static TestUser Ensure(string name, int uid, string home)
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

    /// <summary>Fails the run if <paramref name="name"/> is an account: the tests need a name no Unix account has.</summary>
    public static void RequireMissing(string name)
    {
        if (Find(name) is not null)
            throw new InvalidOperationException($"the tests need {name} not to be a Unix account: remove it (userdel {name}) and rerun");
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
