using System.Reflection;

namespace DovecotRootHelper;

/// <summary>The package version both programs print for --version: debian/changelog's top entry, stamped at build time.</summary>
public static class ProductVersion
{
    public static string Text =>
        typeof(ProductVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
