using System.Globalization;
using System.Text.RegularExpressions;
using DovecotRootHelper.Configuration;

namespace DovecotRootHelper.Migration;

/// <summary>
/// kick, who and auth cache flush on every server <c>[migration] doveadm-servers</c> names, over
/// Dovecot's doveadm protocol (<see cref="DoveadmConnection"/>), one connection per command, each
/// given kick-timeout. Any server that does not answer, refuses the password or fails the command
/// makes kick and who fail with one line naming it: a server not asked may hold a session.
/// </summary>
public sealed partial class RemoteDoveadm(IReadOnlyList<DoveadmAddress> servers, string passwordFile, TimeSpan timeout, string? caFile = null)
{
    /// <summary>
    /// Values per record of <c>who USER</c> (not <c>-1</c>: its width differs between 2.3 and 2.4):
    /// user, connections, service, (pids), (ips) on both generations.
    /// </summary>
    private const int WhoColumns = 5;

    private string? _password;
    private DoveadmTls? _tls;

    /// <summary>The servers of <c>[migration] doveadm-servers</c>, each command given <paramref name="timeout"/>; null when none are named.</summary>
    public static RemoteDoveadm? For(MigrationSettings settings, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings is { DoveadmServers.Count: > 0, DoveadmPasswordFile: { } passwordFile }
            ? new RemoteDoveadm(settings.DoveadmServers, passwordFile, timeout, settings.DoveadmCaFile)
            : null;
    }

    /// <summary>The servers, as <c>host:port</c>.</summary>
    public string Names => string.Join(", ", servers);

    /// <summary>Kicks the user on every server; null when done (2.3's NOTFOUND, no session, included), else why not.</summary>
    public string? Kick(string user) => OnEach(user, "kick", (server, reply) =>
        reply.Succeeded || reply.FailureCode == "NOTFOUND" ? null : $"doveadm server {server}: kick {user} failed ({Code(reply)})");

    /// <summary>
    /// The user's sessions on every server: their number and the first one, described; or, in
    /// <paramref name="failure"/>, why the servers could not all be asked.
    /// </summary>
    public (int Count, string? First) Sessions(string user, out string? failure)
    {
        int count = 0;
        string? first = null;
        failure = OnEach(user, "who", (server, reply) =>
        {
            if (!reply.Succeeded)
                return $"doveadm server {server}: who {user} failed ({Code(reply)})";
            IReadOnlyList<string> values = reply.Values;
            if (values.Count % WhoColumns != 0)
                return $"doveadm server {server}: who {user} answered {values.Count} values, not records of {WhoColumns} (user, connections, service, pids, ips)";
            for (int i = 0; i < values.Count; i += WhoColumns)
            {
                if (!int.TryParse(values[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int connections))
                    return $"doveadm server {server}: who {user} answered '{PrintableText.Escape(values[i + 1])}' where the number of connections belongs";
                count += connections;
                first ??= $"{PrintableText.Escape(string.Join(' ', values.Skip(i).Take(WhoColumns)))} on {server}";
            }
            return null;
        });
        return (count, first);
    }

    /// <summary>Flushes the user's cached auth answers on every server; one warning per server that failed.</summary>
    public List<string> Flush(string user)
    {
        var warnings = new List<string>();
        foreach (DoveadmAddress server in servers)
        {
            if (OnOne(server, user, "auth cache flush", reply => reply.Succeeded ? null : $"doveadm server {server}: auth cache flush {user} failed ({Code(reply)})") is { } failed)
                warnings.Add(failed);
        }
        return warnings;
    }

    private string? OnEach(string user, string command, Func<DoveadmAddress, DoveadmReply, string?> check)
    {
        foreach (DoveadmAddress server in servers)
        {
            if (OnOne(server, user, command, reply => check(server, reply)) is { } failed)
                return failed;
        }
        return null;
    }

    private string? OnOne(DoveadmAddress server, string user, string command, Func<DoveadmReply, string?> check)
    {
        // kick and who take masks: a wildcard or an IPv4 address would reach other users' sessions, or none of this one's.
        if (user.AsSpan().IndexOfAny('*', '?') >= 0 || AddressLike().IsMatch(user))
            return $"{command} {user} over the doveadm protocol: doveadm would read the name as a mask (wildcard or IP address), not as this one user";
        try
        {
            _password ??= DoveadmPassword.Load(passwordFile);
            if (caFile is not null)
                _tls ??= DoveadmTls.Load(caFile);
            using DoveadmConnection connection = DoveadmConnection.Open(server, _password, timeout, _tls);
            return check(connection.Run(command, user));
        }
        catch (DoveadmException e)
        {
            return e.Message;
        }
    }

    private static string Code(DoveadmReply reply) => reply.FailureCode is { Length: > 0 } code ? code : "no reason given; see that server's log";

    [GeneratedRegex(@"^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+(/[0-9]+)?$")]
    private static partial Regex AddressLike();
}
