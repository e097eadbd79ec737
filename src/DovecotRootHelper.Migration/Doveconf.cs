using DovecotRootHelper.Configuration;

namespace DovecotRootHelper.Migration;

/// <summary>
/// Dovecot's own settings as <c>[dovecot] doveconf</c> prints them, each asked at most once: one
/// <c>imaproot check</c> compares <c>[locations] legacy</c> with the global mail location and asks
/// <see cref="DovecotAgreement"/> the same, and one doveconf run answers both.
/// </summary>
public sealed class Doveconf(HelperConfig config)
{
    /// <summary>How long doveconf (and doveadm user) may run.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly ConfiguredCommand _command = new(config?.DoveconfCommand ?? throw new ArgumentNullException(nameof(config)), Timeout);
    private CommandRun? _setup;
    private CommandRun? _globalLocation;

    /// <summary>False when <c>[dovecot] doveconf</c> is empty: Dovecot is not asked.</summary>
    public bool Asked => _command.IsConfigured;

    /// <summary><c>doveconf -n</c>: the settings that differ from Dovecot's defaults (the setup).</summary>
    public CommandRun Setup => _setup ??= _command.WithArguments("-n").Run("");

    /// <summary>The global mail location settings by name (<c>-n</c> leaves out those at their defaults).</summary>
    public CommandRun GlobalLocation => _globalLocation ??= _command.WithArguments(string.Join(' ', config.Generation.LocationSettings)).Run("");
}
