using DovecotRootHelper.Fuzz.Targets;

namespace DovecotRootHelper.Fuzz;

/// <summary>Every parser an outsider can feed, by the name run.sh and the corpus directories use.</summary>
public static class FuzzTargets
{
    private static readonly Dictionary<string, Action<byte[]>> All = new(StringComparer.Ordinal)
    {
        ["state-file"] = StateFileTarget.Run,
        ["state-index"] = StateIndexTarget.Run,
        ["config"] = ConfigTarget.Run,
        ["location"] = LocationTarget.Run,
        ["subscriptions"] = SubscriptionsTarget.Run,
        ["journal"] = JournalTarget.Run,
        ["checkpassword"] = CheckpasswordTarget.Run,
        ["script-login"] = ScriptLoginTarget.Run,
        ["user-name"] = UserNameTarget.Run,
        ["modified-utf7"] = ModifiedUtf7Target.Run,
        ["who"] = WhoTarget.Run,
        ["mail-filter"] = MailFilterTarget.Run,
    };

    public static IEnumerable<string> Names => All.Keys;

    public static Action<byte[]>? Find(string name) => All.GetValueOrDefault(name);
}
