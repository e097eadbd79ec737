using System.Diagnostics;
using DovecotRootHelper.Cli.Reports;
using DovecotRootHelper.Dovecot;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Cli.Commands;

/// <summary>
/// <c>imaproot edit</c>: the safe way to edit the state file by hand. The editor ($VISUAL, $EDITOR,
/// else <c>editor</c>, else <c>vi</c>) works on a private copy; the result must pass the full parse
/// every other verb uses, and is then published like any change (under the lock, atomically, with
/// the index and the userdb), unless the state file changed while the editor was open. The file
/// is never written in place: a login reading it meanwhile would see half a file.
/// </summary>
internal static class EditCommand
{
    public static int Run(CommandContext context)
    {
        context.Arguments.Allow("--yes");
        context.Arguments.Expect(0, 0, "edit");
        string stateFile = context.StateFileOnly("edit");
        FileStatus? original = null;
        ReadOnlyMemory<byte> before = ReadOnlyMemory<byte>.Empty;
        if (Sys.LinkStatusOrNull(stateFile) is not null)
        {
            before = StateFileReader.ReadTrusted(stateFile, out FileStatus read);
            original = read; // the very file copied, compared again under the lock
        }
        DirectoryInfo scratch = Directory.CreateTempSubdirectory("imaproot-edit-");
        bool keep = false;
        try
        {
            string copy = Path.Combine(scratch.FullName, Path.GetFileName(stateFile));
            File.WriteAllBytes(copy, before.ToArray());
            StateFileContents edited;
            while (true)
            {
                RunEditor(copy);
                edited = StateFileSyntax.ParseAll(File.ReadAllBytes(copy), copy, context.Config.Targets);
                if (edited.IsValid)
                    break;
                foreach (StateFileException problem in edited.Problems)
                    context.Console.Error.WriteLine("imaproot: " + Imaproot.OneLine(problem.Message));
                if (!context.Console.InputIsTerminal)
                    throw new CommandFailure(ExitCodes.InvalidConfigOrState, $"edit: {edited.Problems.Count} problem(s) in the edited copy; {stateFile} not changed");
                context.Console.Out.Write("Edit again? [Y/n] (n: abort, nothing changed) ");
                context.Console.Out.Flush();
                string? answer = context.Console.In.ReadLine()?.Trim();
                if (answer is null || answer.StartsWith('n') || answer.StartsWith('N'))
                    throw new CommandFailure(ExitCodes.Failed, $"edit: aborted; {stateFile} not changed");
            }
            if (edited.Bytes.Span.SequenceEqual(before.Span))
            {
                context.Console.Out.WriteLine($"{stateFile}: no changes");
                return ExitCodes.Ok;
            }

            StateFileChanges changes = StateFileChanges.Between(StateFileSyntax.ParseAll(before, stateFile, context.Config.Targets), edited);
            if (changes.Migrating is { } migrating)
                throw CommandFailure.NotAllowed($"edit: {migrating}: only imaproot migrate, resume and rollback change a migrating user or make one; {stateFile} not changed");
            UserdbOverlay? userdb = UserdbOverlay.For(context.Config);
            using (StateFileWriter writer = StateFileWriter.Lock(stateFile, userdb, context.Config.Targets))
            {
                if (!SameFile(original, Sys.LinkStatusOrNull(stateFile)))
                {
                    keep = true;
                    throw new CommandFailure(ExitCodes.Failed, $"edit: {stateFile} changed while the editor was open; not overwritten (your edit is kept in {copy}; run imaproot edit again)");
                }
                writer.Publish(edited.Bytes.Span);
            }

            if (!string.IsNullOrWhiteSpace(context.Config.Migration.FlushCommand) && changes.Users.Count > 0)
                userdb?.WaitUntilDovecotSees();
            foreach (string user in changes.Users)
            {
                if (FlushOutcome.Flush(context.Config.Migration, user).Warning is { } warning)
                    context.Console.Warn($"{user}: auth cache flush: {warning}");
            }
            context.Console.Out.WriteLine($"{stateFile}: {changes.Added} user(s) added, {changes.Removed} removed, {changes.StateChanges} state change(s); index: {StateFileIndex.PathFor(stateFile)}: current");
            return ExitCodes.Ok;
        }
        finally
        {
            if (!keep)
                scratch.Delete(recursive: true);
        }
    }

    // $VISUAL, $EDITOR (a command line, run by the shell as git and crontab do), else editor, else vi.
    private static void RunEditor(string file)
    {
        string? editor = Environment.GetEnvironmentVariable("VISUAL");
        if (string.IsNullOrWhiteSpace(editor))
            editor = Environment.GetEnvironmentVariable("EDITOR");
        if (string.IsNullOrWhiteSpace(editor))
            editor = OnPath("editor") ? "editor" : "vi";
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(editor + " \"$1\"");
        start.ArgumentList.Add("sh");
        start.ArgumentList.Add(file);
        using Process process = Process.Start(start) ?? throw new IOException($"cannot run the editor '{editor}'");
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new CommandFailure(ExitCodes.Failed, $"edit: the editor '{editor}' exited {process.ExitCode}; nothing changed");
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':').Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, program)));

    // The file the copy was made from, unchanged: same inode, size and modification time (or still absent).
    private static bool SameFile(FileStatus? before, FileStatus? now) =>
        before is null
            ? now is null
            : now is { } n && n.Device == before.Value.Device && n.Inode == before.Value.Inode && n.Size == before.Value.Size
                && n.MtimeSeconds == before.Value.MtimeSeconds && n.MtimeNanoseconds == before.Value.MtimeNanoseconds;
}
