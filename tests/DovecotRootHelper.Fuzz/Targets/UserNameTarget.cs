using System.Text;
using System.Text.Unicode;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Fuzz.Targets;

/// <summary>
/// The one user-name rule, on bytes (the state file's) and on text (everywhere else): both forms
/// agree, and a name it accepts is one path component, one passwd field and one state-file field.
/// </summary>
internal static class UserNameTarget
{
    public static void Run(byte[] input)
    {
        string? bytesProblem = UserName.Problem(input.AsSpan());
        if (!Utf8.IsValid(input))
        {
            FuzzFindingException.Unless(bytesProblem is not null || input.Length == 0, "a name that is not UTF-8 is accepted");
            return;
        }
        string name = Encoding.UTF8.GetString(input);
        string? textProblem = UserName.Problem(name.AsSpan());
        FuzzFindingException.Unless((bytesProblem is null) == (textProblem is null), $"the byte and text rules disagree on '{name}': '{bytesProblem}' / '{textProblem}'");
        if (textProblem is not null)
            return;
        FuzzFindingException.Unless(name.Length is > 0 and <= UserName.MaxLength && name is not ("." or ".."), "accepted an empty, long or dot name");
        FuzzFindingException.Unless(name.IndexOfAny(['/', ':', '\\', ' ', '\t', '\n', '\r', '\0']) < 0 && name[0] is not ('-' or '#'), $"accepted '{name}'");
        FuzzFindingException.Unless(StateFileSyntax.ParseLine(Encoding.UTF8.GetBytes(name + " migrated"), 1, "state")?.User == name, $"accepted '{name}', which a state file line does not hold");
    }
}
