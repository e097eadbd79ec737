using DovecotRootHelper.Cli.Reports;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Cli.Commands;

/// <summary>
/// <c>imaproot reindex</c>: after the state file was edited by hand, validates it and writes it
/// again unchanged together with its index, under the lock, so logins use the index again.
/// A file with problems is left alone (exit 4): <c>imaproot check</c> lists them.
/// </summary>
internal static class ReindexCommand
{
    public static int Run(CommandContext context)
    {
        context.Arguments.Expect(0, 0, "reindex");
        string stateFile = context.Config.StateFile;
        int users;
        using (StateFileWriter writer = StateFileWriter.Lock(stateFile))
            users = writer.Reindex();
        string index = StateFileIndex.PathFor(stateFile);
        if (context.Json)
            context.Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new ReindexReport(stateFile, index, users), ImaprootJson.Output.ReindexReport));
        else
            context.Console.Out.WriteLine($"index: {index}: current ({users} user(s))");
        return ExitCodes.Ok;
    }
}
