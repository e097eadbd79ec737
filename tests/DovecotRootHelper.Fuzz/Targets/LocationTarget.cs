using System.Text;
using DovecotRootHelper.Locations;

namespace DovecotRootHelper.Fuzz.Targets;

/// <summary>
/// A location template (<c>[locations] legacy/migrated</c>). Rejection: <see cref="LocationException"/>,
/// from Parse and from Expand (a user without a usable home). Accepted ⇒ the template parses again
/// from its text to the same parts, and expanding it for a user either works or says why not.
/// </summary>
internal static class LocationTarget
{
    public static void Run(byte[] input)
    {
        LocationTemplate template;
        try
        {
            template = LocationTemplate.Parse(Encoding.UTF8.GetString(input));
        }
        catch (LocationException)
        {
            return;
        }
        Reparses(template);
        foreach ((string user, string? home) in new[] { ("alice", "/home/alice"), ("bob@example.org", "/"), ("carol", null), ("dave", "relative") })
        {
            try
            {
                MailLocation location = template.Expand(user, home);
                FuzzFindingException.Unless(location.Driver == template.Driver && location.Parameters.Count == template.Parameters.Count, "expansion changed the driver or the parameters");
            }
            catch (LocationException)
            {
            }
        }
    }

    /// <summary>A parsed template's text is a template with the same parts.</summary>
    public static void Reparses(LocationTemplate template)
    {
        LocationTemplate again = LocationTemplate.Parse(template.Text);
        FuzzFindingException.Unless(
            again.Driver == template.Driver && again.Path == template.Path && again.Parameters.SequenceEqual(template.Parameters),
            $"template '{template.Text}' parses to other parts the second time");
    }
}
