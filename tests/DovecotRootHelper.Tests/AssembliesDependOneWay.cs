using System.Xml.Linq;

namespace DovecotRootHelper.Tests;

/// <summary>
/// The production assemblies depend one way (ARCHITECTURE.md, "The parts"): the usage, the
/// migration and the PostgreSQL libraries reference only the core, and no production assembly opens its internals
/// to another; only test projects (tests/) see internals.
/// </summary>
public class AssembliesDependOneWay
{
    private static readonly string[] Production = Directory.GetDirectories(RepositoryRoot.Combine("src")).Select(Path.GetFileName).OfType<string>().ToArray();

    [Fact]
    public void OnlyTestProjectsSeeInternals()
    {
        string[] testProjects = Directory.GetDirectories(RepositoryRoot.Combine("tests")).Select(Path.GetFileName).OfType<string>().ToArray();
        foreach (string project in Production)
        {
            foreach (string friend in Items(project, "InternalsVisibleTo"))
                Assert.True(testProjects.Contains(friend) && !Production.Contains(friend), $"{project} grants InternalsVisibleTo {friend}, which is not a test project");
        }
    }

    [Theory]
    [InlineData("DovecotRootHelper.Usage")]
    [InlineData("DovecotRootHelper.Migration")]
    [InlineData("DovecotRootHelper.PostgreSql")]
    [InlineData("DovecotRootHelper.LoginHook")]
    public void ReferencesOnlyTheCore(string project) =>
        Assert.Equal(["DovecotRootHelper"], Items(project, "ProjectReference").Select(p => Path.GetFileNameWithoutExtension(p)));

    private static IEnumerable<string> Items(string project, string item) =>
        XDocument.Load(RepositoryRoot.Combine("src", project, project + ".csproj"))
            .Descendants(item).Select(e => (string?)e.Attribute("Include") ?? "");
}
