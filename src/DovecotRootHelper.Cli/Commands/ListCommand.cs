using DovecotRootHelper.Cli.Reports;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Cli.Commands;

/// <summary><c>imaproot list [--state STATE]</c>: the listed users, in the state's order.</summary>
internal static class ListCommand
{
    public static int Run(CommandContext context)
    {
        context.Arguments.Allow("--state");
        context.Arguments.Expect(0, 0, "list [--state legacy|migrated|migrating|TARGET]");
        string? filter = context.Arguments.Value("--state");
        UserState wanted = default;
        if (filter is not null && !UserState.TryParse(filter, context.Config.Targets, out wanted))
            throw CommandFailure.Usage($"list: --state {filter}: expected {UserState.Expected(context.Config.Targets)}");

        IReadOnlyList<StateEntry> entries;
        try
        {
            entries = context.Store.Entries();
        }
        catch (StateUnreadableException e) when (!e.Unreachable)
        {
            throw new CommandFailure(ExitCodes.InvalidConfigOrState, $"{e.Message} ({e.ProblemCount} problem(s); imaproot check lists them)");
        }
        List<ListedUser> users = entries
            .Where(e => filter is null || e.State == wanted)
            .Select(e => new ListedUser(e.User, e.State.ToName(), e.Line, e.Note))
            .ToList();

        if (context.Json)
        {
            context.Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new ListReport(context.Store.Name, users), ImaprootJson.Output.ListReport));
            return ExitCodes.Ok;
        }
        int width = users.Count == 0 ? 0 : users.Max(u => u.User.Length);
        foreach (ListedUser user in users)
            context.Console.Out.WriteLine($"{user.User.PadRight(width)}  {user.State,-9}  {user.Note}".TrimEnd());
        return ExitCodes.Ok;
    }
}
