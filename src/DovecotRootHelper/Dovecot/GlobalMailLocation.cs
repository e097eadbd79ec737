using DovecotRootHelper.Locations;

namespace DovecotRootHelper.Dovecot;

/// <summary>
/// Dovecot's own mail location, the global settings <c>doveconf</c> prints, and whether a location
/// template names the same one: <c>[locations] legacy</c> must, or setting it moves legacy users.
/// </summary>
public static class GlobalMailLocation
{
    /// <summary>
    /// Reads doveconf's <c>KEY = VALUE</c> lines (its output for <c>doveconf KEY...</c> on 2.3 and
    /// 2.4; 2.4's <c>-h</c> takes one key only) and gives the location in <c>mail_location</c> syntax,
    /// or null when Dovecot has none set.
    /// </summary>
    public static string? FromDoveconf(string output, DovecotGeneration generation) =>
        generation.GlobalLocation(Settings(output, generation));

    /// <summary>The location settings among doveconf's <c>KEY = VALUE</c> lines.</summary>
    public static Dictionary<string, string> Settings(string output, DovecotGeneration generation)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in output.Split('\n'))
        {
            int eq = line.IndexOf(" = ", StringComparison.Ordinal);
            string key = eq < 0 ? line.TrimEnd(' ', '=') : line[..eq];
            if (generation.LocationSettings.Contains(key))
                settings[key] = eq < 0 ? "" : line[(eq + 3)..].TrimEnd('\r');
        }
        return settings;
    }

    /// <summary>
    /// Whether two templates name the same location for Dovecot: the same driver, path and parameters,
    /// variables compared in the generation's spelling (<c>%u</c> is <c>%{user}</c>) and a leading
    /// home variable read as <c>~</c>.
    /// </summary>
    public static bool Same(LocationTemplate a, LocationTemplate b, DovecotGeneration generation)
    {
        if (a.Driver != b.Driver || Normal(a.Path, generation) != Normal(b.Path, generation))
            return false;
        return Parameters(a, generation).SetEquals(Parameters(b, generation));
    }

    private static HashSet<string> Parameters(LocationTemplate template, DovecotGeneration generation) =>
        template.Parameters.Select(p => p.Value is null ? p.Key : p.Key + "=" + Normal(p.Value, generation)).ToHashSet(StringComparer.Ordinal);

    private static string Normal(string value, DovecotGeneration generation)
    {
        string text = DovecotVariables.Translate(value, generation);
        string home = generation.Variable("home");
        return text.StartsWith(home, StringComparison.Ordinal) ? "~" + text[home.Length..] : text;
    }
}
