namespace DovecotRootHelper.PostgreSql;

/// <summary>What <see cref="StateSchema"/> did: the version found (0: none) and the version left.</summary>
public readonly record struct SchemaChange(int Before, int After)
{
    public bool Changed => Before != After;
}
