using System.Text;
using DovecotRootHelper.Dovecot;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Fuzz.Targets;

/// <summary>
/// What a checkpassword program reads on fd 3. Rejection: <see cref="FormatException"/>. Accepted ⇒
/// the name passes <see cref="UserName"/>'s rule and is exactly the bytes before the first NUL.
/// </summary>
internal static class CheckpasswordTarget
{
    public static void Run(byte[] input)
    {
        string user;
        try
        {
            user = CheckpasswordRequest.ParseUser(input);
        }
        catch (FormatException)
        {
            return;
        }
        FuzzFindingException.Unless(UserName.IsValid(user), $"accepted user '{user}' breaks the user-name rule");
        int end = Array.IndexOf(input, (byte)0);
        FuzzFindingException.Unless(end >= 0 && input.AsSpan(0, end).SequenceEqual(Encoding.UTF8.GetBytes(user)), "the accepted name is not the bytes before the first NUL");
    }
}
