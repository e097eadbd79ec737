using System.Diagnostics;
using System.Globalization;
using DovecotRootHelper.PostgreSql;
using DovecotRootHelper.State;

// state-batch CONNINFO-FILE USERS ROUNDS: what a batch migration's flips cost on the PostgreSQL
// backend: USERS users (u1..uUSERS) set migrating, then migrated, each in one transaction through
// PostgresStateStore (the calls imaproot's batch makes); prints the milliseconds of each.
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: state-batch CONNINFO-FILE USERS ROUNDS");
    return 2;
}
int users = int.Parse(args[1], CultureInfo.InvariantCulture);
int rounds = int.Parse(args[2], CultureInfo.InvariantCulture);
using var store = new PostgresStateStore(new StateDatabase(ConninfoFile.Load(args[0])), DovecotRootHelper.Locations.TargetLocations.None);
(string, UserState)[] Changes(UserState state) => [.. Enumerable.Range(1, users).Select(i => ($"u{i}", state))];
(string, UserState)[] migrating = Changes(UserState.Migrating), migrated = Changes(UserState.Migrated);
for (int round = 0; round < rounds; round++)
{
    foreach ((string name, (string, UserState)[] changes) in new[] { ("migrating", migrating), ("migrated", migrated) })
    {
        var clock = Stopwatch.StartNew();
        using (IStateChange change = store.BeginChange())
        {
            change.SetStates(changes, "bench batch");
            change.Commit();
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}\t{users}\t{clock.Elapsed.TotalMilliseconds:F1}"));
    }
}
return 0;
