using System.Text;

namespace DovecotRootHelper.Locations;

/// <summary>
/// A mail location in Dovecot's <c>mail_location</c> syntax, <c>DRIVER:PATH[:KEY[=VALUE]]...</c>
/// with <c>::</c> for a literal colon, before the user's variables are filled in.
/// </summary>
public sealed class LocationTemplate
{
    /// <summary>The <c>mail_location</c> parameters this project understands (each has a Dovecot 2.4 setting).</summary>
    public static readonly IReadOnlyList<string> ParameterNames =
        ["INBOX", "INDEX", "INDEXPVT", "CONTROL", "VOLATILEDIR", "ALT", "SUBSCRIPTIONS", "LAYOUT", "DIRNAME", "MAILBOXDIR", "UTF8"];

    private static readonly string[] Drivers = ["mbox", "maildir", "sdbox", "mdbox"];

    // The parameters whose value is a directory or file path (the others are names or words).
    private static readonly string[] PathParameters = ["INBOX", "INDEX", "INDEXPVT", "CONTROL", "VOLATILEDIR", "ALT"];

    // A path Dovecot would resolve against whatever its working directory is, or that climbs out of
    // where it starts (~/../../etc): served, it would hand a user a root nobody meant.
    private static string? PathProblem(string value)
    {
        bool anchored = value.StartsWith('/') || value == "~" || value.StartsWith("~/", StringComparison.Ordinal)
            || value.StartsWith("%h", StringComparison.Ordinal) || value.StartsWith("%{home}", StringComparison.Ordinal);
        if (!anchored)
            return $"'{value}' is a relative path (start it with /, ~/ or %h)";
        if (Array.IndexOf(value.Split('/'), "..") >= 0)
            return $"'{value}' climbs out with '..'";
        return null;
    }

    private LocationTemplate(string text, string driver, string path, IReadOnlyList<KeyValuePair<string, string?>> parameters)
    {
        Text = text;
        Driver = driver;
        Path = path;
        Parameters = parameters;
    }

    public string Text { get; }

    public string Driver { get; }

    public string Path { get; }

    /// <summary>KEY=VALUE parameters in order; a flag such as UTF8 has a null value.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> Parameters { get; }

    /// <summary>Parses a template; throws <see cref="LocationException"/> saying what is wrong (the caller names the setting).</summary>
    public static LocationTemplate Parse(string text)
    {
        List<string> parts = SplitColons(text);
        if (parts.Count < 2 || parts[0].Length == 0)
            throw new LocationException("expected DRIVER:PATH[:KEY=VALUE...]");
        string driver = parts[0];
        if (Array.IndexOf(Drivers, driver) < 0)
            throw new LocationException($"unsupported driver '{driver}' (expected mbox, maildir, sdbox or mdbox)");
        if (parts[1].Length == 0)
            throw new LocationException("empty path");
        var parameters = new List<KeyValuePair<string, string?>>();
        foreach (string part in parts.GetRange(2, parts.Count - 2))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            string key = eq < 0 ? part : part[..eq];
            string? value = eq < 0 ? null : part[(eq + 1)..];
            if (!IsParameterName(key))
                throw new LocationException($"unsupported parameter '{key}'");
            if ((key == "UTF8") != (value is null))
                throw new LocationException($"parameter '{key}' {(value is null ? "needs a value" : "takes no value")}");
            if (parameters.Exists(p => p.Key == key))
                throw new LocationException($"parameter '{key}' given twice");
            parameters.Add(new(key, value));
        }
        if (PathProblem(parts[1]) is { } pathProblem)
            throw new LocationException(pathProblem);
        foreach (KeyValuePair<string, string?> parameter in parameters)
        {
            if (Array.IndexOf(PathParameters, parameter.Key) >= 0 && PathProblem(parameter.Value!) is { } problem)
                throw new LocationException($"{parameter.Key}: {problem}");
        }
        var template = new LocationTemplate(text, driver, parts[1], parameters);
        CheckVariables(parts[1]);
        foreach (KeyValuePair<string, string?> parameter in parameters)
        {
            if (parameter.Value is not null)
                CheckVariables(parameter.Value);
        }
        return template;
    }

    // Plain loops rather than LINQ here and below: this is on every login's path, and LINQ's
    // generic iterators are a measurable part of what the hook's loader must relocate at each start.
    private static bool IsParameterName(string key)
    {
        foreach (string name in ParameterNames)
        {
            if (name == key)
                return true;
        }
        return false;
    }

    private static void CheckVariables(string value)
    {
        string? problem = LocationExpansion.CheckVariables(value);
        if (problem is not null)
            throw new LocationException(problem);
    }

    /// <summary>Fills in the user's variables; throws <see cref="LocationException"/> when it cannot.</summary>
    public MailLocation Expand(string user, string? home)
    {
        var context = new LocationExpansion(user, home);
        string path = context.Expand(Path);
        var parameters = new List<KeyValuePair<string, string?>>(Parameters.Count);
        foreach (KeyValuePair<string, string?> p in Parameters)
            parameters.Add(new(p.Key, p.Value is null ? null : context.Expand(p.Value)));
        return new MailLocation(Driver, path, parameters);
    }

    public override string ToString() => Text;

    private static List<string> SplitColons(string text)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] != ':')
                current.Append(text[i]);
            else if (i + 1 < text.Length && text[i + 1] == ':')
            {
                current.Append(':');
                i++;
            }
            else
            {
                parts.Add(current.ToString());
                current.Clear();
            }
        }
        parts.Add(current.ToString());
        return parts;
    }
}
