namespace DovecotRootHelper.State;

/// <summary>What <c>imaproot check</c> says about the state file's index: whether logins can use it, and if not, why.</summary>
public sealed record StateFileIndexStatus(string Path, bool Exists, bool IsCurrent, string Summary);
