namespace DovecotRootHelper.PostgreSql;

/// <summary>
/// What <see cref="StateSchema"/> did: the version found (0: none) and the version left, and for a
/// named Dovecot role whether it was made a member of <see cref="DovecotRole.GroupRole"/> now (null: no role named).
/// </summary>
public readonly record struct SchemaChange(int Before, int After, bool? RoleGranted = null)
{
    public bool Changed => Before != After;
}
