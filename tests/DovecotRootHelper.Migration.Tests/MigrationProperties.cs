using CsCheck;

namespace DovecotRootHelper.Migration.Tests;

/// <summary>
/// Generated homes (nested folders, odd and non-ASCII names, junk, dot-files, symlinks,
/// subscribed-but-missing and indexed-but-unsubscribed mailboxes, subscribed files that are not mail): after migrate every planned
/// mailbox and its index are at the same name under IMAP, everything else is where it was, and
/// rollback restores the original tree exactly.
/// </summary>
public class MigrationProperties
{
    private static readonly string[] Names = ["mail", "Archive", "Entw&APw-rfe", "My Folder", "a&-b", "sub", "x", ".hidden", "Fotos 📷", "résumé", "deep", "Sent Items"];

    /// <summary>0 subscribed mbox, 1 subscribed and indexed, 2 indexed only, 3 mbox-looking junk, 4 junk, 5 symlink to a file, 6 subscribed but missing, 7 index without a file, 8 symlink to a directory outside, 9 a subscribed file that is not mail.</summary>
    public sealed record Item(string[] Path, int Kind, uint DirectoryMode, uint FileMode)
    {
        public override string ToString() => $"{string.Join('/', Path)}:{Kind}:{Convert.ToString(DirectoryMode, 8)}";
    }

    private static readonly Gen<Item> ItemGen = Gen.Select(
        Gen.OneOf(Names).Array[1, 3], Gen.Int[0, 9], Gen.OneOf(0x1C0u, 0x1E8u, 0x1EDu), Gen.OneOf(0x180u, 0x1A4u),
        (path, kind, dirMode, fileMode) => new Item(path, kind, dirMode, fileMode));

    [Fact]
    public void MigrateMovesExactlyThePlannedMailboxesAndRollbackRestoresEverything()
    {
        int moved = 0, wholeFolders = 0, notes = 0;
        ItemGen.Array[0, 14].Sample(items =>
        {
            using var home = new TestHome();
            Build(home, items);
            TreeSnapshot before = home.Snapshot();
            MigrationPlan plan = home.Migration.Plan(TestHome.User, MailboxSelection.None);
            Assert.True(plan.CanExecute, string.Join("; ", plan.Conflicts));
            home.Migration.Migrate(TestHome.User, MailboxSelection.None);
            moved += plan.Mailboxes.Count(m => m.Disposition == MailboxDisposition.Moves);
            wholeFolders += plan.Steps.OfType<MoveEntry>().Count(m => m.Kind == EntryKind.Directory && !m.From.Contains(".imap", StringComparison.Ordinal));
            notes += plan.Notes.Count;
            TreeSnapshot after = home.Snapshot();
            CheckMigrated(Oracle.Home(before), Oracle.Home(after), plan);
            // Only mailboxes move: mbox files, never a dot-entry at the home's top level.
            foreach (Mailbox mailbox in plan.Mailboxes.Where(m => m.Disposition == MailboxDisposition.Moves))
            {
                Assert.False(mailbox.Name.StartsWith('.'), mailbox.Name + " is a top-level dot-entry");
                byte[] contents = File.ReadAllBytes(home.PathOf("IMAP/" + mailbox.Name));
                Assert.True(contents.Length == 0 || contents.AsSpan().StartsWith("From "u8), mailbox.Name + " is not an mbox");
            }
            Assert.Equal(Outside(before), Outside(after));

            home.Migration.Rollback(TestHome.User);
            TreeSnapshot restored = home.Snapshot();
            Assert.Equal(Oracle.Home(before), Oracle.Home(restored));
            Assert.Equal(Outside(before), Outside(restored));
            Assert.Equal("legacy", home.State());
        }, iter: 40, threads: 1);
        // The generator must reach the interesting cases, or the property says little.
        Assert.True(moved > 20 && wholeFolders > 0 && notes > 10, $"moved {moved}, whole folders {wholeFolders}, notes {notes}");
    }

    private static void CheckMigrated(SortedDictionary<string, TreeSnapshot.Entry> before, SortedDictionary<string, TreeSnapshot.Entry> after, MigrationPlan plan)
    {
        var moving = plan.Mailboxes.Where(m => m.Disposition == MailboxDisposition.Moves).Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        foreach (string mailbox in moving)
        {
            Assert.Equal(before[mailbox], after["IMAP/" + mailbox]);
            Assert.False(after.ContainsKey(mailbox), mailbox + " left behind");
            string index = IndexOf(mailbox);
            foreach (string key in before.Keys.Where(k => k == index || k.StartsWith(index + "/", StringComparison.Ordinal)))
                Assert.Equal(before[key], after["IMAP/" + key]);
        }
        foreach ((string path, TreeSnapshot.Entry entry) in before)
        {
            if (entry.Type == 'd')
            {
                if (after.TryGetValue(path, out TreeSnapshot.Entry? still))
                    Assert.Equal(entry, still);
                if (after.TryGetValue("IMAP/" + path, out TreeSnapshot.Entry? created))
                    Assert.Equal((entry.Mode, entry.Uid, entry.Gid), (created.Mode, created.Uid, created.Gid));
                continue;
            }
            bool mailboxOrIndex = moving.Contains(path) || path == ".subscriptions" || path.StartsWith(".imap/", StringComparison.Ordinal) || path.Contains("/.imap/", StringComparison.Ordinal);
            if (mailboxOrIndex)
                Assert.True(after.GetValueOrDefault(path) == entry ^ after.GetValueOrDefault("IMAP/" + path) == entry, $"{path} lost or duplicated");
            else
                Assert.True(entry == after.GetValueOrDefault(path), $"{path} changed or moved although it is not a planned mailbox");
        }
        Assert.All(after.Keys.Where(k => k != "IMAP" && !k.StartsWith("IMAP/", StringComparison.Ordinal)), k => Assert.True(before.ContainsKey(k), k + " appeared"));
    }

    private static string IndexOf(string mailbox)
    {
        int slash = mailbox.LastIndexOf('/');
        return slash < 0 ? ".imap/" + mailbox : $"{mailbox[..slash]}/.imap/{mailbox[(slash + 1)..]}";
    }

    private static Dictionary<string, TreeSnapshot.Entry> Outside(TreeSnapshot snapshot) =>
        snapshot.Entries.Where(e => e.Key.StartsWith("outside", StringComparison.Ordinal)).ToDictionary();

    private static void Build(TestHome home, Item[] items)
    {
        var taken = new Dictionary<string, char>(StringComparer.Ordinal);
        var subscribed = new List<string>();
        bool Free(string path)
        {
            string[] parts = path.Split('/');
            for (int i = 1; i < parts.Length; i++)
            {
                if (taken.TryGetValue(string.Join('/', parts[..i]), out char t) && t != 'd')
                    return false;
            }
            return !taken.ContainsKey(path);
        }
        void Take(string path, char type)
        {
            string[] parts = path.Split('/');
            for (int i = 1; i < parts.Length; i++)
                taken[string.Join('/', parts[..i])] = 'd';
            taken[path] = type;
        }
        foreach (Item item in items)
        {
            string name = string.Join('/', item.Path);
            string index = IndexOf(name) + "/dovecot.index";
            switch (item.Kind)
            {
                case 0 or 1 or 2 or 3 or 4 or 9:
                    if (!Free(name) || (item.Kind is 1 or 2 && !Free(index)))
                        continue;
                    if (item.Kind is 4 or 9)
                        home.File(name, "just a file " + name, item.FileMode);
                    else
                        home.Mbox(name, name);
                    Take(name, 'f');
                    if (item.Kind is 1 or 2)
                    {
                        home.Index(name);
                        Take(index, 'f');
                    }
                    if (item.Kind is 0 or 1 or 9)
                        subscribed.Add(name);
                    break;
                case 5 or 8:
                    if (!Free(name))
                        continue;
                    home.Symlink(name, item.Kind == 5 ? "/etc/passwd" : home.Outside);
                    Take(name, 'l');
                    subscribed.Add(item.Kind == 5 ? name : name + "/precious");
                    break;
                case 6:
                    subscribed.Add(name);
                    break;
                case 7:
                    if (!Free(index))
                        continue;
                    home.Index(name);
                    Take(index, 'f');
                    break;
            }
            if (item.Path.Length > 1 && taken.GetValueOrDefault(string.Join('/', item.Path[..^1])) == 'd')
                File.SetUnixFileMode(home.PathOf(string.Join('/', item.Path[..^1])), (UnixFileMode)item.DirectoryMode);
        }
        if (subscribed.Count > 0 && Free(".subscriptions"))
            home.Subscribe([.. subscribed]);
    }
}
