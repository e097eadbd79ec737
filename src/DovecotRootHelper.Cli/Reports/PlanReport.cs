namespace DovecotRootHelper.Cli.Reports;

/// <summary>imaproot plan --json (and migrate --dry-run): one user's plan.</summary>
internal sealed record PlanReport(
    string User,
    uint Uid,
    uint Gid,
    string Home,
    string LegacyRoot,
    string MigratedRoot,
    bool CanExecute,
    IReadOnlyList<MailboxReport> Mailboxes,
    IReadOnlyList<StepReport> Steps,
    IReadOnlyList<PathReason> Notes,
    IReadOnlyList<PathReason> Conflicts,
    IReadOnlyList<FilterReferenceReport> FilterReferences,
    string Sessions);
