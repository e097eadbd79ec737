using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DovecotRootHelper.Cli.Reports;

/// <summary>Source-generated serialisation of every --json report (native AOT: no reflection).</summary>
[JsonSerializable(typeof(StatusReport))]
[JsonSerializable(typeof(ListReport))]
[JsonSerializable(typeof(SetReport))]
[JsonSerializable(typeof(PlanReport))]
[JsonSerializable(typeof(PlansReport))]
[JsonSerializable(typeof(MigrateReport))]
[JsonSerializable(typeof(ConversionReport))]
[JsonSerializable(typeof(BatchReport))]
[JsonSerializable(typeof(ScheduleReport))]
[JsonSerializable(typeof(CheckReport))]
[JsonSerializable(typeof(ReindexReport))]
[JsonSerializable(typeof(ExplainReport))]
[JsonSerializable(typeof(UsageScanReport))]
[JsonSerializable(typeof(UsageShowReport))]
[JsonSerializable(typeof(CandidatesReport))]
[JsonSerializable(typeof(DbStatusReport))]
internal sealed partial class ImaprootJson : JsonSerializerContext
{
    /// <summary>
    /// camelCase, indented, and mailbox names, paths and quotes written as themselves rather than
    /// \uXXXX: the output goes to scripts and people, never into HTML.
    /// </summary>
    public static ImaprootJson Output { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
