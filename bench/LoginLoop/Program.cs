using System.Diagnostics;
using System.Globalization;

namespace DovecotRootHelper.Bench.LoginLoop;

/// <summary>
/// Logs one user in and out of several Dovecots over loopback, one login at a time, interleaving
/// the servers in rounds so that machine noise falls on all of them alike.
/// </summary>
/// <remarks>
/// usage: login-loop USER PASSWORD LOGINS WARMUP ROUND NAME=PORT[=USER]...
/// (a server's own USER replaces the first argument for that server).
/// Prints one line per server: <c>login NAME COUNT MEAN_MS MEDIAN_MS P90_MS</c>, then one line per
/// round and server: <c>round INDEX NAME MEDIAN_MS</c> (the median of that server's logins in the
/// round), so that ratios between servers can be taken within a round, on the same machine state.
/// </remarks>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length < 6)
        {
            Console.Error.WriteLine("usage: login-loop USER PASSWORD LOGINS WARMUP ROUND NAME=PORT[=USER]...");
            return 64;
        }
        string user = args[0], password = args[1];
        int logins = int.Parse(args[2], CultureInfo.InvariantCulture);
        int warmup = int.Parse(args[3], CultureInfo.InvariantCulture);
        int round = int.Parse(args[4], CultureInfo.InvariantCulture);
        var servers = new List<(string Name, int Port, string User)>();
        foreach (string arg in args.AsSpan(5))
        {
            string[] parts = arg.Split('=', 3);
            servers.Add((parts[0], int.Parse(parts[1], CultureInfo.InvariantCulture), parts.Length > 2 ? parts[2] : user));
        }

        try
        {
            foreach ((_, int port, string login) in servers)
            {
                for (int i = 0; i < warmup; i++)
                    ImapLogin.Run(port, login, password);
            }

            var times = servers.Select(_ => new List<double>(logins)).ToArray();
            var rounds = new List<double[]>();
            while (times[0].Count < logins)
            {
                double[] medians = new double[servers.Count];
                for (int s = 0; s < servers.Count; s++)
                {
                    var thisRound = new List<double>(round);
                    for (int i = 0; i < round && times[s].Count < logins; i++)
                    {
                        long start = Stopwatch.GetTimestamp();
                        ImapLogin.Run(servers[s].Port, servers[s].User, password);
                        double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                        times[s].Add(ms);
                        thisRound.Add(ms);
                    }
                    medians[s] = Percentile([.. thisRound.Order()], 0.5);
                }
                rounds.Add(medians);
            }

            for (int s = 0; s < servers.Count; s++)
            {
                double[] sorted = [.. times[s].Order()];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"login {servers[s].Name} {sorted.Length} {sorted.Average():F3} {Percentile(sorted, 0.5):F3} {Percentile(sorted, 0.9):F3}"));
            }
            for (int r = 0; r < rounds.Count; r++)
            {
                for (int s = 0; s < servers.Count; s++)
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {r} {servers[s].Name} {rounds[r][s]:F3}"));
            }
            return 0;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ImapException)
        {
            Console.Error.WriteLine($"login-loop: {e.Message}");
            return 1;
        }
    }

    private static double Percentile(double[] sorted, double p)
    {
        double rank = p * (sorted.Length - 1);
        int lo = (int)Math.Floor(rank), hi = (int)Math.Ceiling(rank);
        return sorted[lo] + ((sorted[hi] - sorted[lo]) * (rank - lo));
    }
}
