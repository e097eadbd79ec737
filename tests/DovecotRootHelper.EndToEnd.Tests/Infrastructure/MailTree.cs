namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>Real files in a test user's home: mbox mailboxes and the non-mail clutter a real $HOME has.</summary>
public static class MailTree
{
    public static string Message(string subject) =>
        $"From a@b Mon Jan  1 00:00:00 2024\nFrom: a@b\nSubject: {subject}\n\nbody\n\n";

    /// <summary>Writes an mbox with one message at <paramref name="relativePath"/> under <paramref name="root"/>.</summary>
    public static void AddMailbox(TestUser user, string root, string relativePath, string subject) =>
        AddFile(user, root, relativePath, Message(subject));

    /// <summary>Writes a file (creating directories), everything on the way owned by the user as Dovecot requires.</summary>
    public static void AddFile(TestUser user, string root, string relativePath, string contents)
    {
        string path = Path.Combine(root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, contents);
        GiveToUser(user, path);
    }

    /// <summary>Moves a file or directory tree with rename, the way an administrator moves mailboxes.</summary>
    public static void Move(TestUser user, string from, string to)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        GiveToUser(user, Path.GetDirectoryName(to)!);
        if (Directory.Exists(from))
            Directory.Move(from, to);
        else
            File.Move(from, to);
    }

    /// <summary>Hands the path and each directory between it and the home to the user.</summary>
    private static void GiveToUser(TestUser user, string path)
    {
        if (!Native.IsRoot)
            return;
        string home = Path.GetFullPath(user.Home);
        for (string? p = Path.GetFullPath(path); p is not null && p.StartsWith(home, StringComparison.Ordinal); p = Path.GetDirectoryName(p))
            Native.ChangeOwner(p, user.Uid);
    }
}
