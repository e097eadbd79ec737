namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The Dovecot a test runs against: Debian 12's 2.3.19 on the host, Debian 13's 2.4.1 in its tree
/// (trixie), or Debian forky's 2.4.5 in its tree (tests/dovecot/debian-tree.sh).
/// </summary>
public enum DovecotGeneration
{
    V23,
    V24,
    V245,
}
