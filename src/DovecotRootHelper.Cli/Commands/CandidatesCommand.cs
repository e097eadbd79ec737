using System.Globalization;
using DovecotRootHelper.Cli.Reports;
using DovecotRootHelper.Migration;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;
using DovecotRootHelper.Usage.Candidates;
using DovecotRootHelper.Usage.Store;

namespace DovecotRootHelper.Cli.Commands;

/// <summary>
/// <c>imaproot candidates [--top N]</c>: the legacy users (the state file's, and those the logs
/// saw) ranked by what their $HOME root costs the server, each with its reasons; then the ones
/// whose root is harmless and may stay.
/// </summary>
internal static class CandidatesCommand
{
    public static int Run(CommandContext context)
    {
        context.Arguments.Allow("--top");
        context.Arguments.Expect(0, 0, "candidates [--top N]");
        string? topText = context.Arguments.Value("--top");
        int top = 10;
        if (topText is not null && (!int.TryParse(topText, NumberStyles.None, CultureInfo.InvariantCulture, out top) || top == 0))
            throw CommandFailure.Usage($"candidates: --top {topText}: expected a whole number above 0");

        long since = DateTimeOffset.UtcNow.AddDays(-context.Config.Usage.WindowDays).ToUnixTimeSeconds();
        var lists = new Dictionary<string, ListUsage>(StringComparer.Ordinal);
        using (UsageStore? store = UsageStore.OpenExisting(context.Config.Usage.Database))
        {
            foreach (ListUsage usage in store?.Lists(since) ?? [])
                lists[usage.User] = usage;
        }
        var users = new SortedSet<string>(lists.Keys, StringComparer.Ordinal);
        if (context.Config.Backend != StateBackend.File || Sys.LinkStatusOrNull(context.Config.StateFile) is not null)
        {
            try
            {
                foreach (StateEntry entry in context.Store.Entries().Where(e => e.State == UserState.Legacy))
                    users.Add(entry.User);
            }
            catch (StateUnreadableException e) when (!e.Unreachable)
            {
                throw new CommandFailure(ExitCodes.InvalidConfigOrState, $"{e.Message} (imaproot check lists every problem)");
            }
        }

        var notes = new List<string>();
        var candidates = new List<Candidate>();
        UserMigration migration = context.Migration();
        foreach (string user in users)
        {
            UnixAccount? account = context.FindAccount(user);
            if (account is null)
            {
                notes.Add($"{user}: no Unix account; left out");
                continue;
            }
            if (migration.CurrentState(account) != UserState.Legacy)
                continue;
            string root = context.Config.Legacy?.Expand(user, account.Home).Path ?? account.Home;
            ListUsage usage = lists.TryGetValue(user, out ListUsage? found) ? found : new ListUsage(user, 0, 0, 0, 0, null);
            candidates.Add(new Candidate(user, root, usage, RootFootprint.Measure(root)));
        }

        List<Candidate> ranked = Candidate.Rank(candidates);
        var rows = ranked.Select((c, i) => new CandidateRow(
            i + 1, c.User, c.Root, c.Cost, c.IsHarmless, c.Lists.FullTreeLists, c.Lists.FullTreeUsecs / 1000, c.Lists.MaxFullTreeUsecs / 1000,
            c.Footprint.Entries, c.Footprint.EntriesCapped, c.Footprint.NonMailIndexes, c.Reasons())).ToList();
        var report = new CandidatesReport(context.Config.Usage.WindowDays, rows, notes);
        if (context.Json)
        {
            context.Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(report, ImaprootJson.Output.CandidatesReport));
            return ExitCodes.Ok;
        }
        var output = new VisibleText(context.Console.Out);
        List<CandidateRow> costly = rows.Where(r => !r.Harmless).Take(top).ToList();
        output.WriteLine(costly.Count == 0
            ? "no legacy user's root costs the server anything worth a migration"
            : $"legacy users whose $HOME root costs the server most (logs of the last {report.WindowDays} days):");
        foreach (CandidateRow row in costly)
            output.WriteLine($"{row.Rank,3}. {row.User}: {string.Join("; ", row.Reasons)}");
        List<string> harmless = rows.Where(r => r.Harmless).Select(r => r.User).ToList();
        if (harmless.Count > 0)
            output.WriteLine($"harmless roots, may stay legacy: {string.Join(' ', harmless)}");
        foreach (string note in notes)
            output.WriteLine($"note: {note}");
        return ExitCodes.Ok;
    }
}
