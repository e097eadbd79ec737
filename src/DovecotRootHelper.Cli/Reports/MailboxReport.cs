namespace DovecotRootHelper.Cli.Reports;

/// <summary>A discovered mailbox: on-disk name, decoded name, evidence and what the plan does with it.</summary>
internal sealed record MailboxReport(string Name, string DisplayName, IReadOnlyList<string> Evidence, string Disposition);
