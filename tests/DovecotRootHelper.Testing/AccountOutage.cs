namespace DovecotRootHelper.Testing;

/// <summary>
/// An account database outage for a program the tests start: <c>account-outage.c</c>, compiled
/// with the system's C compiler once per test run into a temporary directory and preloaded
/// (LD_PRELOAD), makes getpwnam, getpwnam_r, getpwuid and getpwuid_r fail with an errno for the
/// chosen names, as an unreachable LDAP server or a stopped sssd does.
/// </summary>
public static class AccountOutage
{
    public const string NamesVariable = "DRH_ACCOUNT_OUTAGE";
    public const string ErrnoVariable = "DRH_ACCOUNT_OUTAGE_ERRNO";

    /// <summary>Every name and every uid.</summary>
    public const string Everyone = "*";

    private static readonly Lazy<string> Compiled = new(Compile);

    /// <summary>The preloadable library (compiled on first use; readable by every user, for Dovecot's processes).</summary>
    public static string Library => Compiled.Value;

    /// <summary>The variables that put a program in the outage for <paramref name="names"/> (comma-separated, or <see cref="Everyone"/>).</summary>
    public static Dictionary<string, string> Variables(string names, int? errno = null)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["LD_PRELOAD"] = Library,
            [NamesVariable] = names,
        };
        if (errno is int number)
            variables[ErrnoVariable] = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return variables;
    }

    /// <summary><paramref name="environment"/> with the outage added.</summary>
    public static Dictionary<string, string> Around(IReadOnlyDictionary<string, string> environment, string names, int? errno = null)
    {
        var result = new Dictionary<string, string>(environment, StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> pair in Variables(names, errno))
            result[pair.Key] = pair.Value;
        return result;
    }

    private static string Compile()
    {
        string dir = Directory.CreateTempSubdirectory("drh-outage-").FullName;
        File.SetUnixFileMode(dir, TempDirectory.UserAllOthersReadExecute);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(dir, recursive: true);
        string library = Path.Combine(dir, "account-outage.so");
        string source = RepositoryRoot.Combine("tests", "DovecotRootHelper.Testing", "account-outage.c");
        NativeRun run = NativeProcess.Run("cc", ["-shared", "-fPIC", "-O2", "-Wall", "-Werror", "-o", library, source, "-ldl"], timeoutSeconds: 120);
        if (run.ExitCode != 0)
            throw new InvalidOperationException($"cc {source}: exit {run.ExitCode}: {run.Stderr}{run.Stdout}");
        File.SetUnixFileMode(library, TempDirectory.UserAllOthersReadExecute);
        return library;
    }
}
