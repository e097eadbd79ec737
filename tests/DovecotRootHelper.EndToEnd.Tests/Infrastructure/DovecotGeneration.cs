namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>The Dovecot a test runs against: Debian 12's 2.3 on the host, or Debian 13's 2.4 in its tree.</summary>
public enum DovecotGeneration
{
    V23,
    V24,
}
