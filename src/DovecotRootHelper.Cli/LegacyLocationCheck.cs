using DovecotRootHelper.Configuration;
using DovecotRootHelper.Dovecot;
using DovecotRootHelper.Locations;
using DovecotRootHelper.Migration;

namespace DovecotRootHelper.Cli;

/// <summary>
/// <c>imaproot check</c>'s comparison of <c>[locations] legacy</c> with Dovecot's own mail location,
/// asked of doveconf (<c>[dovecot] doveconf</c>): a legacy template that differs would move every
/// legacy user's root at the next login, so a difference is a problem; a Dovecot that cannot be
/// asked is a warning, never an ok.
/// </summary>
internal static class LegacyLocationCheck
{
    /// <summary>A problem (the two differ) or a warning (they could not be compared), or neither.</summary>
    public static (string? Problem, string? Warning) Run(HelperConfig config, Doveconf doveconf)
    {
        if (config.Legacy is not LocationTemplate legacy)
            return (null, null);
        string setting = $"{config.Path}: [locations] legacy = {legacy.Text}";
        if (!doveconf.Asked)
            return (null, $"{setting} not compared with Dovecot's mail location: [dovecot] doveconf is empty; it must equal Dovecot's mail location");

        DovecotGeneration generation = config.Generation;
        CommandRun run = doveconf.GlobalLocation;
        string notCompared = $"{setting} not compared with Dovecot's mail location";
        if (run.Failure(FailureWording.Warning) is { } failure)
            return (null, $"{notCompared}: {failure}");

        string? dovecot = GlobalMailLocation.FromDoveconf(run.Output, generation);
        if (dovecot is null)
            return (null, $"{notCompared}: '{run.Command}' gave none (is [dovecot] version = {generation.Name} this Dovecot's?)");
        LocationTemplate own;
        try
        {
            own = LocationTemplate.Parse(dovecot);
        }
        catch (LocationException e)
        {
            return (null, $"{notCompared} '{dovecot}': {e.Message}");
        }
        return GlobalMailLocation.Same(legacy, own, generation)
            ? (null, null)
            : ($"{setting} is not Dovecot's own mail location {dovecot} (from '{config.DoveconfCommand}'): write \"legacy = {dovecot}\" under [locations], or remove legacy so that legacy users keep Dovecot's own", null);
    }
}
