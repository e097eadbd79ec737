using DovecotRootHelper.Locations;

namespace DovecotRootHelper.Dovecot;

/// <summary>
/// One Dovecot generation, with everything the project does differently for it: the userdb fields
/// that carry a location, whether checkpassword exists, and which of Dovecot's internal protocols
/// this project has been checked against. A third generation is a new subclass, never a fallback.
/// </summary>
public abstract class DovecotGeneration
{
    public static readonly DovecotGeneration V23 = new Dovecot23();
    public static readonly DovecotGeneration V24 = new Dovecot24();

    /// <summary>Every generation the project knows, oldest first.</summary>
    public static readonly IReadOnlyList<DovecotGeneration> Known = [V23, V24];

    /// <summary>The name in <c>[dovecot] version</c> and in messages: "2.3".</summary>
    public abstract string Name { get; }

    /// <summary>How a location names the logged-in user in this generation's configuration (<c>%u</c>, <c>%{user}</c>).</summary>
    public string UserVariable => Variable("user");

    /// <summary>
    /// One of the variables a location template may hold (<c>user</c>, <c>username</c>, <c>domain</c>,
    /// <c>home</c>) in this generation's own syntax, for files Dovecot expands itself.
    /// </summary>
    public abstract string Variable(string name);

    /// <summary>Whether the checkpassword passdb/userdb drivers exist.</summary>
    public abstract bool HasCheckpassword { get; }

    /// <summary>Whether script-login's last step (the reply and the client's socket on fd 3) has been checked against this generation live.</summary>
    public abstract bool ScriptLoginFinishChecked { get; }

    /// <summary>Whether the master's service protocol (fds, status struct, idle kill) the post-login service speaks is this generation's.</summary>
    public abstract bool PostLoginServiceChecked { get; }

    /// <summary>The userdb fields that hand Dovecot <paramref name="location"/>, lower-case keys, in the order they are listed.</summary>
    public abstract IReadOnlyList<KeyValuePair<string, string>> UserdbFields(MailLocation location);

    /// <summary>The settings that make up Dovecot's own (global) mail location, as <c>doveconf</c> names them.</summary>
    public abstract IReadOnlyList<string> LocationSettings { get; }

    /// <summary>
    /// Dovecot's own mail location in <c>mail_location</c> syntax, from the values doveconf printed for
    /// <see cref="LocationSettings"/>; null when none is set (Dovecot then autodetects).
    /// </summary>
    public abstract string? GlobalLocation(IReadOnlyDictionary<string, string> settings);

    /// <summary>Other keys that name the same setting as <paramref name="key"/>, so an earlier value must go rather than compete.</summary>
    public abstract IReadOnlyList<string> Aliases(string key);

    /// <summary>
    /// The generation named <paramref name="name"/>: by its name ("2.4") or by one of its releases as
    /// <c>dovecot --version</c> begins ("2.4.5", "2.3.21.1"); null for anything else.
    /// </summary>
    public static DovecotGeneration? Named(string name)
    {
        foreach (DovecotGeneration generation in Known)
        {
            if (generation.Name == name || IsReleaseOf(generation, name))
                return generation;
        }
        return null;
    }

    // The generation's name, then dot-separated numbers: nothing Debian or a build appends ("2.4.1-4").
    private static bool IsReleaseOf(DovecotGeneration generation, string name)
    {
        if (!name.StartsWith(generation.Name + ".", StringComparison.Ordinal))
            return false;
        foreach (string part in name[(generation.Name.Length + 1)..].Split('.'))
        {
            if (part.Length == 0 || part.AsSpan().ContainsAnyExceptInRange('0', '9'))
                return false;
        }
        return true;
    }

    /// <summary>
    /// The generation of a Dovecot that announced <paramref name="version"/> the way its master does
    /// (<c>DOVECOT_VERSION=2.3.19 (9fe2...)</c>, <c>dovecot --version</c>), or null for anything else.
    /// </summary>
    public static DovecotGeneration? OfVersion(string? version)
    {
        if (version is null)
            return null;
        foreach (DovecotGeneration generation in Known)
        {
            if (version.StartsWith(generation.Name + ".", StringComparison.Ordinal))
                return generation;
        }
        return null;
    }

    /// <summary>"2.3 or 2.4", for messages.</summary>
    public static string KnownNames => string.Join(" or ", Known);

    public override string ToString() => Name;
}
