using System.Reflection;
using DovecotRootHelper.Configuration;

namespace DovecotRootHelper.Cli.Tests;

/// <summary>
/// The man pages in packaging/man render as lintian checks them, and name exactly what the code
/// knows: imaproot(8) every command, option and exit status, dovecot-root-helper.conf(5) every
/// setting; nothing the code does not know.
/// </summary>
public class ManPagesCoverTheCode
{
    [Theory]
    [InlineData("imaproot.8.scd")]
    [InlineData("dovecot-root-helper.8.scd")]
    [InlineData("dovecot-root-helper.conf.5.scd")]
    public void RendersWithoutWarnings(string source)
    {
        string scdoc = RequiredProgram.Find("/usr/bin/scdoc", "scdoc");
        string man = RequiredProgram.Find("/usr/bin/man", "man-db");
        string page = Path.GetFileNameWithoutExtension(source);
        using var directory = new TempDirectory();

        NativeRun rendered = NativeProcess.Run(scdoc, [], Environment(), File.ReadAllBytes(ManPageSource.Named(source).Path));
        Assert.True(rendered.ExitCode == 0 && rendered.Stderr.Length == 0, $"scdoc < {source}: exit {rendered.ExitCode}: {rendered.Stderr}");
        string roff = directory.Write(page, rendered.Stdout);

        // What lintian runs (checks/documentation/manual.pm): every groff warning is a lintian warning.
        NativeRun shown = NativeProcess.Run(man, ["--warnings", "-E", "UTF-8", "-l", "-Tutf8", "-Z", roff], Environment(("MANROFFSEQ", ""), ("MANWIDTH", "80")));
        Assert.True(shown.ExitCode == 0, $"man -l {page}: exit {shown.ExitCode}: {shown.Stderr}");
        Assert.Equal("", shown.Stderr);
        Assert.Contains("NAME", shown.Stdout, StringComparison.Ordinal);

        // The title line names the page as its file does: imaproot.8 is imaproot(8).
        string title = $"{Path.GetFileNameWithoutExtension(page)}({Path.GetExtension(page)[1..]})";
        Assert.StartsWith(title + " ", File.ReadLines(ManPageSource.Named(source).Path).First(), StringComparison.Ordinal);
    }

    [Fact]
    public void ImaprootDocumentsEveryCommandAndNoOther()
    {
        Assert.Equal(Sorted(ImaprootVocabulary.Commands), Sorted(DocumentedCommands().Select(c => c.Name).Distinct()));
    }

    [Fact]
    public void ImaprootDocumentsEachCommandsOptionsInItsSynopsis()
    {
        var documented = DocumentedCommands().GroupBy(c => c.Name).ToDictionary(g => g.Key, g => g.ToList());
        foreach (string command in ImaprootVocabulary.Commands.Where(c => c != "help" && documented.ContainsKey(c)))
        {
            List<string> global = [.. ImaprootVocabulary.GlobalOptions];
            // The options in the command's term lines (its synopsis), and those it describes one by one.
            var synopsis = documented[command].SelectMany(c => ManPageSource.Options(c.Term)).Except(global);
            var described = documented[command].SelectMany(c => ManPageSource.Entries(c.Body, depth: 1)).SelectMany(e => ManPageSource.Options(e.Term).Take(1));
            Assert.True(Sorted(ImaprootVocabulary.OptionsOf(command)).SequenceEqual(Sorted(synopsis)),
                $"imaproot {command}: the code accepts [{string.Join(' ', Sorted(ImaprootVocabulary.OptionsOf(command)))}], imaproot(8) names [{string.Join(' ', Sorted(synopsis))}]");
            Assert.All(described, option => Assert.Contains(option, ImaprootVocabulary.OptionsOf(command)));
        }
    }

    [Fact]
    public void ImaprootDocumentsTheGlobalOptionsUnderOptions()
    {
        var documented = ManPageSource.Entries(Imaproot8.Section("OPTIONS")).SelectMany(e => ManPageSource.Options(e.Term));
        Assert.Equal(Sorted(ImaprootVocabulary.GlobalOptions), Sorted(documented));
    }

    [Fact]
    public void ImaprootNamesNoOptionTheCodeDoesNotKnow()
    {
        string[] lines = File.ReadAllLines(Imaproot8.Path);
        var unknown = lines.SelectMany(ManPageSource.Options).Distinct().Except(ImaprootVocabulary.Options);
        Assert.Empty(unknown);
    }

    [Fact]
    public void ImaprootDocumentsEveryExitStatusAndNoOther()
    {
        var codes = typeof(ExitCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => ((int)f.GetRawConstantValue()!).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var documented = ManPageSource.Entries(Imaproot8.Section("EXIT STATUS")).Select(e => ManPageSource.Bold(e.Term).Single());
        Assert.Equal(Sorted(codes), Sorted(documented));
    }

    [Fact]
    public void ConfigPageDocumentsEverySettingAndNoOther()
    {
        ManPageSource page = ManPageSource.Named("dovecot-root-helper.conf.5.scd");
        var documented = new List<string>();
        foreach ((string heading, IReadOnlyList<string> lines) in ManPageSource.Subsections(page.Section("SECTIONS AND KEYS")))
        {
            Assert.Matches(@"^\[[a-z]+\]$", heading);
            documented.AddRange(ManPageSource.Entries(lines).Select(e => $"{heading[1..^1]}:{ManPageSource.Bold(e.Term).First()}"));
        }
        Assert.Equal(Sorted(HelperConfig.Settings), Sorted(documented));
    }

    private static ManPageSource Imaproot8 => ManPageSource.Named("imaproot.8.scd");

    /// <summary>The COMMANDS section's entries: the command each describes (its first bold words: <c>*usage scan*</c>) with its term line and body.</summary>
    private static IEnumerable<(string Name, string Term, IReadOnlyList<string> Body)> DocumentedCommands() =>
        ManPageSource.Entries(Imaproot8.Section("COMMANDS")).Select(e => (ManPageSource.Bold(e.Term).First(), e.Term, e.Body));

    private static List<string> Sorted(IEnumerable<string> items) => [.. items.Order(StringComparer.Ordinal)];

    private static Dictionary<string, string> Environment(params (string Name, string Value)[] more)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
            ["LC_ALL"] = "C.UTF-8",
        };
        foreach ((string name, string value) in more)
            environment[name] = value;
        return environment;
    }
}
