namespace DovecotRootHelper.Cli.Reports;

/// <summary>imaproot migrate, resume and rollback --json.</summary>
internal sealed record MigrateReport(IReadOnlyList<MigrationOutcome> Results);
