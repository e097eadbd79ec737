namespace DovecotRootHelper.Cli.Reports;

/// <summary>migrate --dry-run --json: several users' plans.</summary>
internal sealed record PlansReport(IReadOnlyList<PlanReport> Plans);
