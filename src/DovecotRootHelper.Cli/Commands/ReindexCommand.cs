using DovecotRootHelper.Cli.Reports;
using DovecotRootHelper.Dovecot;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Cli.Commands;

/// <summary>
/// <c>imaproot reindex</c>: after the state file was edited by hand, validates it and writes it
/// again unchanged together with its index and the userdb derived from it (<c>[state] userdb</c>),
/// under the lock, so logins use the index again and Dovecot's userdb agrees.
/// A file with problems is left alone (exit 4): <c>imaproot check</c> lists them.
/// </summary>
internal static class ReindexCommand
{
    public static int Run(CommandContext context)
    {
        context.Arguments.Allow("--yes");
        context.Arguments.Expect(0, 0, "reindex");
        string stateFile = context.StateFileOnly("reindex");
        int users;
        UserdbOverlay? userdb = UserdbOverlay.For(context.Config);
        using (StateFileWriter writer = StateFileWriter.Lock(stateFile, userdb, context.Config.Targets))
            users = writer.Reindex();
        string index = StateFileIndex.PathFor(stateFile);
        if (context.Json)
            context.Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new ReindexReport(stateFile, index, users), ImaprootJson.Output.ReindexReport));
        else
        {
            context.Console.Out.WriteLine($"index: {index}: current ({users} user(s))");
            if (userdb is not null)
                context.Console.Out.WriteLine($"userdb: {userdb.Path}, {userdb.UnlistedPath}: current (after a change of [locations] or [state], run doveadm reload)");
        }
        return ExitCodes.Ok;
    }
}
