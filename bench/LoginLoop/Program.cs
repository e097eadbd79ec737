using System.Diagnostics;
using System.Globalization;

namespace DovecotRootHelper.Bench.LoginLoop;

/// <summary>
/// Logs one user in and out of several Dovecots over loopback, one login at a time, interleaving
/// the servers in rounds so that machine noise falls on all of them alike.
/// </summary>
/// <remarks>
/// usage: login-loop USER PASSWORD LOGINS WARMUP ROUND NAME=PORT...
/// Prints one line per server: <c>login NAME COUNT MEAN_MS MEDIAN_MS P90_MS</c>.
/// </remarks>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length < 6)
        {
            Console.Error.WriteLine("usage: login-loop USER PASSWORD LOGINS WARMUP ROUND NAME=PORT...");
            return 64;
        }
        string user = args[0], password = args[1];
        int logins = int.Parse(args[2], CultureInfo.InvariantCulture);
        int warmup = int.Parse(args[3], CultureInfo.InvariantCulture);
        int round = int.Parse(args[4], CultureInfo.InvariantCulture);
        var servers = new List<(string Name, int Port)>();
        foreach (string arg in args.AsSpan(5))
        {
            int eq = arg.IndexOf('=', StringComparison.Ordinal);
            servers.Add((arg[..eq], int.Parse(arg[(eq + 1)..], CultureInfo.InvariantCulture)));
        }

        try
        {
            foreach ((_, int port) in servers)
            {
                for (int i = 0; i < warmup; i++)
                    ImapLogin.Run(port, user, password);
            }

            var times = servers.Select(_ => new List<double>(logins)).ToArray();
            while (times[0].Count < logins)
            {
                for (int s = 0; s < servers.Count; s++)
                {
                    for (int i = 0; i < round && times[s].Count < logins; i++)
                    {
                        long start = Stopwatch.GetTimestamp();
                        ImapLogin.Run(servers[s].Port, user, password);
                        times[s].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    }
                }
            }

            for (int s = 0; s < servers.Count; s++)
            {
                double[] sorted = [.. times[s].Order()];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"login {servers[s].Name} {sorted.Length} {sorted.Average():F3} {Percentile(sorted, 0.5):F3} {Percentile(sorted, 0.9):F3}"));
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
