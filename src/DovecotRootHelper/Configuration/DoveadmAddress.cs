using System.Globalization;

namespace DovecotRootHelper.Configuration;

/// <summary>
/// One Dovecot server's doveadm TCP listener as <c>[migration] doveadm-servers</c> names it:
/// <c>host:port</c>, or <c>[address]:port</c> for an IPv6 address.
/// </summary>
public sealed record DoveadmAddress(string Host, int Port)
{
    /// <summary>The address as written in the config and shown in messages.</summary>
    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>Parses <c>host:port</c> or <c>[address]:port</c>; null with <paramref name="problem"/> set when it is neither.</summary>
    public static DoveadmAddress? Parse(string text, out string? problem)
    {
        problem = null;
        int colon = text.LastIndexOf(':');
        if (colon <= 0)
        {
            problem = "expected host:port (the port of the server's service doveadm inet_listener)";
            return null;
        }
        string host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
            host = host[1..^1];
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            problem = "expected [address]:port for an IPv6 address";
            return null;
        }
        if (host.Length == 0 || host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '[' or ']' or '/'))
        {
            problem = "expected a host name or address before the ':'";
            return null;
        }
        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            problem = "expected a port number, 1 to 65535, after the ':'";
            return null;
        }
        return new DoveadmAddress(host, port);
    }
}
