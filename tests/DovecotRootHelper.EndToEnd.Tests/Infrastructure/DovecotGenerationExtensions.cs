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

    /// <summary>Whether it is a 2.4: 2.4's configuration syntax, the 2.4 snippets, chrooted in a Debian tree.</summary>
    public static bool Is24(this DovecotGeneration generation) => generation != DovecotGeneration.V23;

    /// <summary>"2.3" or "2.4": the generation in the shipped snippets' names (<c>dovecot-2.4-postlogin.conf</c>).</summary>
    public static string SnippetName(this DovecotGeneration generation) => generation.Is24() ? "2.4" : "2.3";

    /// <summary>The directory of the Debian tree it runs in (<c>debian13</c>, <c>forky</c>), or null for the host's 2.3.</summary>
    public static string? TreeName(this DovecotGeneration generation) => generation switch
    {
        DovecotGeneration.V23 => null,
        DovecotGeneration.V24 => "debian13",
        DovecotGeneration.V245 => "forky",
        _ => throw new ArgumentOutOfRangeException(nameof(generation)),
    };
}
