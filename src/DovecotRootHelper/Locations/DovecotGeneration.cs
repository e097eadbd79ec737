namespace DovecotRootHelper.Locations;

/// <summary>Which Dovecot reads the hook's answer: 2.3 takes one <c>mail</c> field, 2.4 split settings.</summary>
public enum DovecotGeneration
{
    V23,
    V24,
}
