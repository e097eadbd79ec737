using System.Diagnostics.CodeAnalysis;
using DovecotRootHelper.Configuration;

namespace DovecotRootHelper.LoginHook;

/// <summary>What <see cref="PostLoginScript.Decide"/> came to: the login goes on under a config, or is refused with a line for the client.</summary>
internal sealed class PostLoginOutcome
{
    private PostLoginOutcome(LoginSettings? config, string? refusal)
    {
        Config = config;
        Refusal = refusal;
    }

    /// <summary>The config the location was decided with; set unless refused.</summary>
    public LoginSettings? Config { get; }

    /// <summary>The reason to give the client (already logged); null when the login goes on.</summary>
    public string? Refusal { get; }

    [MemberNotNullWhen(true, nameof(Refusal))]
    [MemberNotNullWhen(false, nameof(Config))]
    public bool Refused => Refusal is not null;

    public static PostLoginOutcome Proceed(LoginSettings config) => new(config, null);

    public static PostLoginOutcome Refuse(string reason) => new(null, reason);
}
