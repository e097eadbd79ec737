using System.Text;

namespace DovecotRootHelper.Testing;

/// <summary>
/// The crash-test build of imaproot (<c>./build.sh publish</c> makes it with -p:CrashPoints=true):
/// the only one that SIGKILLs itself where DOVECOT_ROOT_HELPER_CRASH_AT says. Released binaries do
/// not carry the variable's name at all.
/// </summary>
public static class CrashBuild
{
    public const string Variable = "DOVECOT_ROOT_HELPER_CRASH_AT";

    public static string Imaproot => RepositoryRoot.Combine("artifacts", "imaproot-crash", "imaproot");

    /// <summary>Whether <paramref name="binary"/> holds the variable's name, as UTF-8 or as the UTF-16 a native-AOT binary keeps string literals in.</summary>
    public static bool Carries(string binary)
    {
        byte[] bytes = File.ReadAllBytes(binary);
        // The last character's high byte (0) is left out: in the file, the next object's bytes
        // often stand where the literal's last 0 would be (found so in artifacts/imaproot-crash).
        byte[] utf16 = Encoding.Unicode.GetBytes(Variable);
        return bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Variable)) >= 0
            || bytes.AsSpan().IndexOf(utf16.AsSpan(0, utf16.Length - 1)) >= 0;
    }
}
