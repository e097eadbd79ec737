using System.Text;
using DovecotRootHelper.Posix;

namespace DovecotRootHelper.Migration;

/// <summary>
/// The file <c>[migration] doveadm-password-file</c> names: the servers' <c>doveadm_password</c> on
/// one line. It is a password to every server's doveadm, so it must pass the trust rule and be
/// readable by its owner alone (<see cref="TrustedFile.ReadSecret"/>).
/// </summary>
public static class DoveadmPassword
{
    private const int MaxSize = 4096;

    /// <summary>The password, without the blanks and line feed around it.</summary>
    /// <exception cref="DoveadmException">The file cannot be read, breaks the rule, or holds no single-line password.</exception>
    public static string Load(string path)
    {
        string text;
        try
        {
            text = Encoding.UTF8.GetString(TrustedFile.ReadSecret(path, MaxSize).Span).Trim();
        }
        catch (UntrustedFileException e)
        {
            throw new DoveadmException($"[migration] doveadm-password-file {path}: {e.Problem}");
        }
        if (text.Length == 0)
            throw new DoveadmException($"[migration] doveadm-password-file {path}: empty; it must hold the servers' doveadm_password");
        if (text.Any(char.IsControl))
            throw new DoveadmException($"[migration] doveadm-password-file {path}: more than one line or a control character; it must hold the doveadm_password alone");
        return text;
    }
}
