using System.Globalization;

namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The migration sandbox with both location templates setting INDEX= and CONTROL= outside the
/// homes (ROOT/index/%u, ROOT/control/%u), as sites with homes on NFS do; its own accounts.
/// </summary>
public abstract class IndexControlDovecot : MigrationDovecot
{
    protected IndexControlDovecot(DovecotGeneration generation, string prefix, int firstUid)
        : base(generation, [prefix + "alice", prefix + "bob", prefix + "carol"], firstUid)
    {
        try
        {
            foreach (TestUser user in new[] { Alice, Bob, Carol })
            {
                foreach (string tree in new[] { IndexTree(user), ControlTree(user) })
                {
                    Directory.CreateDirectory(tree);
                    File.SetUnixFileMode(Path.GetDirectoryName(tree)!, (UnixFileMode)0x1ED);
                    File.SetUnixFileMode(tree, (UnixFileMode)0x1C0);
                    Command.Run("chown", [string.Create(CultureInfo.InvariantCulture, $"{user.Uid}:{user.Uid}"), tree]);
                }
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string IndexTree(TestUser user) => Path.Combine(Root, "index", user.Name);

    public string ControlTree(TestUser user) => Path.Combine(Root, "control", user.Name);

    protected override string LocationParameters => $":INDEX={Root}/index/%u:CONTROL={Root}/control/%u";
}
