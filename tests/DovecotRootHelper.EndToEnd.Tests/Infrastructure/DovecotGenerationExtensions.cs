namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>What differs between the Dovecots the tests run against, in one place.</summary>
public static class DovecotGenerationExtensions
{
    /// <summary>
    /// "2.3", "2.4" or "2.4.5": private-dovecot.sh's GENERATION and the hook's <c>[dovecot] version</c>
    /// (2.4.5's as a release number, the way an administrator may copy it from <c>dovecot --version</c>).
    /// </summary>
    public static string Name(this DovecotGeneration generation) => generation switch
    {
        DovecotGeneration.V23 => "2.3",
        DovecotGeneration.V24 => "2.4",
        DovecotGeneration.V245 => "2.4.5",
        _ => throw new ArgumentOutOfRangeException(nameof(generation)),
    };

    /// <summary>
    /// The release the master announces as it starts (<c>Dovecot v2.4.5 (0cbb641e3e) starting up</c>,
    /// <c>Dovecot v2.4.1-4 (...)</c>), up to what Debian appends: "2.3" for the host's, any 2.3.x.
    /// </summary>
    public static string Release(this DovecotGeneration generation) => generation switch
    {
        DovecotGeneration.V23 => "2.3",
        DovecotGeneration.V24 => "2.4.1",
        DovecotGeneration.V245 => "2.4.5",
        _ => throw new ArgumentOutOfRangeException(nameof(generation)),
    };

    /// <summary>Whether it is a 2.4: 2.4's configuration syntax, the 2.4 snippets, chrooted in a Debian tree.</summary>
    public static bool Is24(this DovecotGeneration generation) => generation != DovecotGeneration.V23;

    /// <summary>"2.3" or "2.4": the generation in the shipped snippets' names (<c>dovecot-2.4-postlogin.conf</c>).</summary>
    public static string SnippetName(this DovecotGeneration generation) => generation.Is24() ? "2.4" : "2.3";

    /// <summary>
    /// A test account's name in this generation: <paramref name="name"/> (<c>drhmig-alice</c>) on 2.3, with
    /// the release after the prefix on the 2.4s (<c>drhmig-41-alice</c>, <c>drhmig-45-alice</c>), so that
    /// the generations' classes, which run side by side, never share an account.
    /// </summary>
    public static string Account(this DovecotGeneration generation, string name)
    {
        int afterPrefix = name.IndexOf('-', StringComparison.Ordinal) + 1;
        return generation switch
        {
            DovecotGeneration.V23 => name,
            DovecotGeneration.V24 => name[..afterPrefix] + "41-" + name[afterPrefix..],
            DovecotGeneration.V245 => name[..afterPrefix] + "45-" + name[afterPrefix..],
            _ => throw new ArgumentOutOfRangeException(nameof(generation)),
        };
    }

    /// <summary>
    /// A test account's uid in this generation: <paramref name="uid"/> (22001-22999) on 2.3, 1000 below on
    /// 2.4.1 and 500 below on 2.4.5 (<see cref="UnixTestAccount.FirstUid"/> and on stay clear of them).
    /// </summary>
    public static int AccountUid(this DovecotGeneration generation, int uid) => generation switch
    {
        DovecotGeneration.V23 => uid,
        DovecotGeneration.V24 => uid - 1000,
        DovecotGeneration.V245 => uid - 500,
        _ => throw new ArgumentOutOfRangeException(nameof(generation)),
    };

    /// <summary>The directory of the Debian tree it runs in (<c>debian13</c>, <c>forky</c>), or null for the host's 2.3.</summary>
    public static string? TreeName(this DovecotGeneration generation) => generation switch
    {
        DovecotGeneration.V23 => null,
        DovecotGeneration.V24 => "debian13",
        DovecotGeneration.V245 => "forky",
        _ => throw new ArgumentOutOfRangeException(nameof(generation)),
    };
}
