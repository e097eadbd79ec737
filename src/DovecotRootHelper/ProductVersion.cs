namespace DovecotRootHelper;

/// <summary>The package version both programs print for --version: debian/changelog's top entry, stamped at build time.</summary>
public static class ProductVersion
{
    /// <summary>Written into the build as a constant (<c>DovecotRootHelper.csproj</c>), so that printing it needs no reflection.</summary>
    public const string Text = ProductVersionStamp.Value;
}
