using System.Security.Cryptography;
using Mono.Unix.Native;

namespace DovecotRootHelper.Testing;

/// <summary>Every object under a directory (lstat, contents hash, link target), by relative path.</summary>
public sealed class TreeSnapshot
{
    private TreeSnapshot(SortedDictionary<string, Entry> entries) => Entries = entries;

    public SortedDictionary<string, Entry> Entries { get; }

    /// <summary>One object; directory mtimes are left out because renames in a directory change them.</summary>
    public sealed record Entry(char Type, uint Mode, uint Uid, uint Gid, ulong Inode, long Size, long Mtime, long MtimeNs, string Content)
    {
        public Entry WithoutInode() => this with { Inode = 0 };
    }

    public static TreeSnapshot Take(string root)
    {
        var entries = new SortedDictionary<string, Entry>(StringComparer.Ordinal);
        Walk(root, "", entries);
        return new TreeSnapshot(entries);
    }

    public Entry? this[string path] => Entries.TryGetValue(path, out Entry? e) ? e : null;

    private static void Walk(string root, string relative, SortedDictionary<string, Entry> entries)
    {
        string full = relative.Length == 0 ? root : Path.Combine(root, relative);
        foreach (string child in Directory.EnumerateFileSystemEntries(full))
        {
            string name = Path.GetFileName(child);
            string rel = relative.Length == 0 ? name : relative + "/" + name;
            if (Syscall.lstat(child, out Stat st) != 0)
                throw new IOException("lstat " + child);
            uint type = (uint)st.st_mode & 0xF000;
            char t = type switch { 0x4000 => 'd', 0x8000 => 'f', 0xA000 => 'l', _ => '?' };
            string content = t switch
            {
                // Lock files are flock'ed by the code under test (and briefly by its forked children): not read.
                'f' when name.EndsWith(".lock", StringComparison.Ordinal) => "lock",
                'f' => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(child))),
                'l' => new FileInfo(child).LinkTarget ?? "",
                _ => "",
            };
            bool dir = t == 'd';
            entries[rel] = new Entry(t, (uint)st.st_mode & 0xFFF, st.st_uid, st.st_gid, st.st_ino, dir ? 0 : st.st_size, dir ? 0 : st.st_mtime, dir ? 0 : st.st_mtime_nsec, content);
            if (dir)
                Walk(root, rel, entries);
        }
    }
}
