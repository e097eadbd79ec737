namespace DovecotRootHelper.Cli.Tests;

/// <summary>
/// <c>imaproot edit</c> (issue 10, defect 8): the editor works on a copy; a valid result is published
/// like any change (index current, userdb rewritten), an invalid one or one made while someone else
/// changed the file is refused with nothing changed. The editor here is a sed script.
/// </summary>
public class EditValidatesBeforeReplacing
{
    [Fact]
    public void AValidEditIsPublishedWithItsIndexAndUserdb()
    {
        using var scenario = new CliScenario("alice legacy\nbob legacy\n# a comment stays\n", extraState: "userdb = USERDB");
        string userdb = Path.Combine(scenario.Dir, "userdb");
        File.WriteAllText(scenario.ConfigPath, File.ReadAllText(scenario.ConfigPath).Replace("USERDB", userdb, StringComparison.Ordinal));
        string editor = Editor(scenario, """sed -i -e 's/^bob legacy/bob migrated/' -e '$a carol migrated new' "$1" """);

        CliRun run = Edit(scenario, editor);

        Assert.Equal("", run.Stderr);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"{scenario.StatePath}: 1 user(s) added, 0 removed, 1 state change(s); index: {scenario.StatePath}.index: current\n", run.Stdout);
        Assert.Equal("alice legacy\nbob migrated\n# a comment stays\ncarol migrated new\n", scenario.State);
        Assert.Contains($"index: {scenario.StatePath}.index: current\n", scenario.Run("check").Stdout, StringComparison.Ordinal);
        string[] lines = File.ReadAllLines(userdb);
        Assert.Contains("bob:::::::userdb_mail=mbox:~/IMAP:INBOX=/var/mail/%u", lines);
        Assert.Contains("carol:::::::userdb_mail=mbox:~/IMAP:INBOX=/var/mail/%u", lines);
        Assert.True(File.Exists(userdb + "-unlisted.conf"));
    }

    [Fact]
    public void AnInvalidEditIsRefusedWithFileAndLineAndNothingChanges()
    {
        using var scenario = new CliScenario("alice legacy\nbob legacy\n");
        scenario.Run("reindex");
        byte[] index = File.ReadAllBytes(scenario.StatePath + ".index");
        string editor = Editor(scenario, """sed -i -e 's/^bob legacy/bob migratd/' -e '$a alice migrated' "$1" """);

        CliRun run = Edit(scenario, editor);

        Assert.Equal(4, run.ExitCode);
        string[] errors = run.Stderr.TrimEnd('\n').Split('\n');
        Assert.Equal(3, errors.Length);
        Assert.Matches(@"^imaproot: /\S+/state:2: unknown state 'migratd' for user 'bob'", errors[0]);
        Assert.Matches(@"^imaproot: /\S+/state:3: user 'alice' is listed again \(first at line 1\)$", errors[1]);
        Assert.Equal($"imaproot: edit: 2 problem(s) in the edited copy; {scenario.StatePath} not changed", errors[2]);
        Assert.Equal("alice legacy\nbob legacy\n", scenario.State);
        Assert.Equal(index, File.ReadAllBytes(scenario.StatePath + ".index"));
    }

    [Fact]
    public void AChangeMadeWhileTheEditorWasOpenIsNotOverwritten()
    {
        using var scenario = new CliScenario("alice legacy\nbob legacy\n");
        // While the editor is open, another administrator sets carol with imaproot.
        string editor = Editor(scenario, $"""
            sed -i 's/^bob legacy/bob migrated/' "$1"
            {PublishedImaproot.Binary} --config {scenario.ConfigPath} set carol migrated --note other >/dev/null
            """);

        CliRun run = Edit(scenario, editor);

        Assert.Equal(1, run.ExitCode);
        run.AssertOneErrorLine($"edit: {scenario.StatePath} changed while the editor was open; not overwritten (your edit is kept in ");
        Assert.Equal("alice legacy\nbob legacy\ncarol\tmigrated\tother\n", scenario.State);
        string kept = run.Stderr[(run.Stderr.IndexOf("kept in ", StringComparison.Ordinal) + 8)..run.Stderr.IndexOf(';', run.Stderr.IndexOf("kept in ", StringComparison.Ordinal))];
        Assert.Equal("alice legacy\nbob migrated\n", File.ReadAllText(kept));
        Directory.Delete(Path.GetDirectoryName(kept)!, recursive: true);
    }

    private static string Editor(CliScenario scenario, string script)
    {
        string path = scenario.Write("editor.sh", "#!/bin/sh\nset -e\n" + script + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0x1ED); // 0755
        return path;
    }

    private static CliRun Edit(CliScenario scenario, string editor) =>
        PublishedImaproot.Start(
            PublishedImaproot.Binary,
            ["--config", scenario.ConfigPath, "edit"],
            new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["EDITOR"] = editor },
            "");
}
