using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DovecotRootHelper.Cli.Tests;

/// <summary>
/// A batch's report gives its start and end to the millisecond and the seconds between them, and
/// the three agree (a 1.1 s batch once read 11:11:03Z to 11:11:05Z), in the text and in the JSON.
/// </summary>
public class BatchReportTimesAddUp
{
    [Fact]
    public void StartPlusSecondsIsTheEndToTheMillisecond()
    {
        using var home = new CliHome();
        home.AddAccount("bob", 23002);
        CliRun run = home.Run("migrate", "alice", "bob", "--yes");
        Assert.Equal(0, run.ExitCode);
        Match header = Regex.Match(run.Stdout, @"batch of 2 user\(s\), (\S+) to (\S+) \(([0-9]+\.[0-9]{3}) s\): ");
        Assert.True(header.Success, run.Stdout);
        DateTime started = Moment(header.Groups[1].Value);
        DateTime finished = Moment(header.Groups[2].Value);
        Assert.Equal(finished - started, TimeSpan.FromMilliseconds(Math.Round(double.Parse(header.Groups[3].Value, CultureInfo.InvariantCulture) * 1000)));

        string kept = Regex.Match(run.Stdout, @"report kept at (\S+)\)").Groups[1].Value;
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(kept, ".json")));
        Assert.Equal(header.Groups[1].Value, json.RootElement.GetProperty("started").GetString());
        Assert.Equal(header.Groups[2].Value, json.RootElement.GetProperty("finished").GetString());
        Assert.Equal((finished - started).TotalSeconds, json.RootElement.GetProperty("seconds").GetDouble(), 3);
    }

    private static DateTime Moment(string text) =>
        DateTime.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
}
