using System.Globalization;
using DovecotRootHelper.Configuration;
using DovecotRootHelper.Decision;
using DovecotRootHelper.Dovecot;
using DovecotRootHelper.Locations;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Migration;

/// <summary>
/// Whether Dovecot itself serves what the state file decides, asked of Dovecot rather than assumed
/// from the config: which part of dovecot-root-helper it runs (<c>doveconf -n</c>), and, where its
/// userdb decides (the all-services setup), its own answer for a user (<c>doveadm user</c>) against
/// the decision. A migration into a root Dovecot does not read would hand the user's client an empty
/// account, so <c>check</c> reports every disagreement and a migration is refused (before) or put
/// back (after the state flips) on one. <c>[dovecot] doveconf =</c> (empty) says there is no Dovecot
/// to ask: nothing is checked, and check warns. With <c>[state] backend = postgresql</c> the state is
/// the database's (<paramref name="store"/>), and Dovecot must read it through the pgsql all-services
/// setup: its sql userdb calling imaproot's schema.
/// </summary>
public sealed class DovecotAgreement(HelperConfig config, Func<string, UnixAccount?> findAccount, Doveconf doveconf, IStateStore? store = null)
{
    private readonly ConfiguredCommand _userLookup = new(config.UserLookupCommand, Doveconf.Timeout);

    private DovecotSetup? _setup;
    private Dictionary<string, string>? _global;
    private string? _readFailure;

    /// <summary>Dovecot asked through a doveconf of its own (one that no other reader shares).</summary>
    public DovecotAgreement(HelperConfig config, Func<string, UnixAccount?> findAccount, IStateStore? store = null)
        : this(config, findAccount, new Doveconf(config), store)
    {
    }

    /// <summary>The state is PostgreSQL's, which Dovecot's sql userdb reads itself.</summary>
    private bool InDatabase => config.Backend == StateBackend.Postgresql;

    // Where the state lives, for messages.
    private string StateName => InDatabase ? "the PostgreSQL database" : "the state file";

    /// <summary>False when <c>[dovecot] doveconf</c> is empty: Dovecot is not asked.</summary>
    public bool Asked => config.DoveconfCommand.Length > 0;

    /// <summary>Why Dovecot could not be asked (doveconf failed), in one line; null when it was, or is not to be.</summary>
    public string? Unreadable => Asked && !Read() ? _readFailure : null;

    /// <summary>What Dovecot runs of ours, for check's report; null when not asked or unreadable.</summary>
    public string? Describe() => Read() ? _setup!.Describe(config.UserdbFile) : null;

    /// <summary>The setup Dovecot runs (<c>doveconf -n</c>); null when not asked or unreadable.</summary>
    public DovecotSetup? Setup => Read() ? _setup : null;

    /// <summary>Whether Dovecot's userdb decides the root and is asked per user (the all-services setup with <c>user-lookup</c> set).</summary>
    public bool AsksUserdb => Read() && ReadsState && config.UserLookupCommand.Length > 0;

    // Whether Dovecot's userdb reads the state: the all-services passwd-file, or the sql userdb.
    private bool ReadsState => InDatabase ? _setup!.ReadsSqlUserdb : _setup!.ReadsUserdb(config.UserdbFile);

    /// <summary>
    /// One line per way Dovecot's setup ignores the state file: none of ours runs, a login protocol
    /// runs without the hook, or a userdb ends every lookup before the all-services passwd-file.
    /// </summary>
    public IReadOnlyList<string> SetupProblems()
    {
        if (!Asked)
            return [];
        if (!Read())
            return [_readFailure!];
        DovecotSetup setup = _setup!;
        string asked = $"'{config.DoveconfCommand} -n'";
        if (InDatabase)
            return DatabaseSetupProblems(setup, asked);
        var problems = new List<string>();
        bool userdb = setup.ReadsUserdb(config.UserdbFile);
        bool everyService = userdb || setup.HookIsCheckpasswordUserdb;
        string[] served = [.. DovecotSetup.LoginProtocols.Where(p => setup.Protocols.Contains(p))];
        string[] unhooked = [.. served.Where(p => !setup.RunsHookAtLogin(p))];
        if (!everyService && unhooked.Length == served.Length)
        {
            string userdbPart = config.UserdbFile is { } file ? $"no userdb reads {file}" : "no all-services userdb ([state] userdb is unset)";
            problems.Add($"Dovecot runs nothing of dovecot-root-helper ({asked}): {userdbPart} and no imap or pop3 post-login service runs the hook, so no root follows {config.StateFile}: put the line \"!include /usr/share/dovecot-root-helper/dovecot-{config.Generation.Name}-all-services.conf\" (or -postlogin.conf) in /etc/dovecot/conf.d/95-dovecot-root-helper.conf (README.Debian, Enabling it)");
        }
        else if (!everyService)
        {
            foreach (string protocol in unhooked)
                problems.Add($"Dovecot serves {protocol} without the hook ({asked}: service {protocol}'s executable names no post-login service that runs dovecot-root-helper), so {protocol} logins get Dovecot's own root: add the {protocol} lines of dovecot-{config.Generation.Name}-postlogin.conf");
        }
        if (userdb && setup.UserdbEndingLookupsBefore(config.UserdbFile!) is { } ending)
            problems.Add($"{ending}, so Dovecot never reads what the state file decides ({asked}): remove that userdb (Debian: the \"userdb {{ driver = passwd }}\" of conf.d/auth-system.conf.ext; the all-services snippet brings its own)");
        return problems;
    }

    // The pgsql all-services setup: the sql userdb calling imaproot's schema, chained after the
    // system userdb; the hook, which refuses every login with the state in PostgreSQL, nowhere.
    private List<string> DatabaseSetupProblems(DovecotSetup setup, string asked)
    {
        var problems = new List<string>();
        if (!setup.ReadsSqlUserdb)
        {
            string unread = setup.SqlArgsFailure is { } failure ? $" ({failure})" : "";
            problems.Add($"Dovecot runs nothing of dovecot-root-helper ({asked}): no sql userdb calls {DovecotSetup.UserdbFunction}{unread}, so no root follows the PostgreSQL database ([state] backend = postgresql): put the line \"!include /usr/share/dovecot-root-helper/dovecot-{config.Generation.Name}-all-services-pgsql.conf\" in /etc/dovecot/conf.d/95-dovecot-root-helper.conf (README.Debian, The state in PostgreSQL)");
        }
        problems.AddRange(setup.SqlUserdbProblems().Select(p => $"{p} ({asked})"));
        string[] hooked = [.. DovecotSetup.LoginProtocols.Where(p => setup.Protocols.Contains(p) && setup.RunsHookAtLogin(p))];
        if (hooked.Length > 0 || setup.HookIsCheckpasswordUserdb)
            problems.Add($"Dovecot runs the hook ({asked}: {setup.Describe(null)}), which refuses every login with [state] backend = postgresql: take its lines out of Dovecot's config");
        return problems;
    }

    /// <summary>
    /// With the all-services userdb, what keeps a migrating user's client from reading why it is
    /// refused (the refusal passdb missing, or a passdb before it ending every login), or null. Not a
    /// reason to refuse a migration: the user is refused either way, only less politely.
    /// </summary>
    public string? RefusalProblem() =>
        !Read() || !ReadsState ? null
        : InDatabase ? _setup!.SqlRefusalPassdbProblem()
        : _setup!.RefusalPassdbProblem(UserdbOverlay.RefusalPathFor(config.UserdbFile!), UserdbOverlay.MigratingPathFor(config.UserdbFile!));

    /// <summary>
    /// Null when Dovecot's userdb answers <paramref name="user"/> the location the state file decides
    /// now, or when its userdb does not decide (post-login or checkpassword setups: the hook itself
    /// reads the state file) or the user is being migrated (refused); else one line saying what
    /// Dovecot answers and what the state decides.
    /// </summary>
    public string? Disagreement(string user)
    {
        if (!AsksUserdb)
            return Asked && !Read() ? _readFailure : null;
        return Disagreement(findAccount(user) ?? throw new MigrationException($"{user}: no such Unix account"));
    }

    /// <summary>As <see cref="Disagreement(string)"/>, for an account already looked up.</summary>
    public string? Disagreement(UnixAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (!AsksUserdb)
            return Asked && !Read() ? _readFailure : null;
        string user = account.Name;
        string uid = account.Uid.ToString(CultureInfo.InvariantCulture);
        RootDecision decision = InDatabase
            ? RootDecision.Decide(config, user, account.Home, uid, (store ?? throw new InvalidOperationException("the PostgreSQL backend's agreement needs its store")).Find(user))
            : RootDecision.ForLogin(config, user, account.Home, uid);
        if (decision.RefusesLogin)
            return null;
        DovecotGeneration generation = config.Generation;
        MailLocation? expected = decision.Location
            ?? UserdbAnswer.ToLocation(generation.GlobalLocation(_global!), user, account.Home);
        CommandRun run = _userLookup.Run(user);
        if (run.Failure(FailureWording.Warning) is { } failure)
            return $"cannot ask Dovecot for {user}'s location: {failure}";
        MailLocation? answered = UserdbAnswer.Parse(run.Output).Location(user, account.Home, generation, _global!);
        if (UserdbAnswer.Same(answered, expected, generation))
            return null;
        string? ending = InDatabase ? _setup!.UserdbEndingLookupsBeforeSql() : _setup!.UserdbEndingLookupsBefore(config.UserdbFile!);
        string cause = ending is not null ? $" ({ending})" : "";
        return $"Dovecot answers {UserdbAnswer.Describe(answered, generation)} for {user} ('{run.Command}'), but {StateName} decides {decision.State.ToName()}: {UserdbAnswer.Describe(expected, generation)}{cause}";
    }

    /// <summary>
    /// Dovecot's answers for a listed legacy user, a listed migrated user and an account the state
    /// does not list (the first in the account database with a uid of 1000 or more), each that
    /// exists; one line per disagreement. <paramref name="entries"/>: every listed user (the state
    /// file's, or the database's).
    /// </summary>
    public IReadOnlyList<string> SampleDisagreements(IReadOnlyList<StateEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (!AsksUserdb)
            return [];
        var listed = entries.Select(e => e.User).ToHashSet(StringComparer.Ordinal);
        var samples = new List<string>();
        foreach (UserState state in (UserState[])[UserState.Legacy, UserState.Migrated])
        {
            if (entries.FirstOrDefault(e => e.State == state && findAccount(e.User) is not null) is { } entry)
                samples.Add(entry.User);
        }
        // nobody (65534) is every site's and nobody's mail.
        if (AccountDatabase.First(a => a.Uid is >= 1000 and not 65534 && !listed.Contains(a.Name) && StateFileSyntax.IsValidUserName(a.Name)) is { } unlisted)
            samples.Add(unlisted.Name);
        return [.. samples.Select(Disagreement).OfType<string>()];
    }

    // doveconf twice, once for all (and shared with the caller's other readers): the setup (-n) and
    // the global location settings by name (-n leaves out settings at their defaults, which the
    // location needs).
    private bool Read()
    {
        if (!Asked)
            return false;
        if (_setup is not null || _readFailure is not null)
            return _setup is not null;
        CommandRun setup = doveconf.Setup;
        CommandRun global = doveconf.GlobalLocation;
        if ((setup.Failure(FailureWording.Warning) ?? global.Failure(FailureWording.Warning)) is { } failure)
        {
            _readFailure = $"cannot ask Dovecot which setup it runs: {failure}";
            return false;
        }
        // 2.3's sql userdb keeps its query in its args file, which doveconf does not print: read as
        // Dovecot's auth reads it, as root, before it drops root.
        _setup = DovecotSetup.Parse(setup.Output, InDatabase ? File.ReadAllText : null);
        _global = GlobalMailLocation.Settings(global.Output, config.Generation);
        return true;
    }
}
