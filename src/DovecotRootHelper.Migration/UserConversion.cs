using System.Diagnostics;
using DovecotRootHelper.Configuration;
using DovecotRootHelper.Durability;
using DovecotRootHelper.Locations;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Migration;

/// <summary>
/// Converts one user's mail to a target location of <c>[locations]</c> (mbox to Maildir or mdbox)
/// with Dovecot's own <c>doveadm backup</c> (<see cref="MailSync"/>): a copy while the user is online,
/// then, with logins refused and deliveries deferred (state migrating, sessions closed on every
/// server), a last incremental copy, Dovecot's counts compared, and the state flipped to the target.
/// The old mail stays until <see cref="Finalize"/>; <see cref="Rollback"/> copies everything
/// delivered since back into it. Every phase is in the user's <see cref="ConversionJournal"/> before
/// its work starts, so <see cref="Resume"/> finishes or undoes a conversion killed anywhere.
/// </summary>
public sealed class UserConversion
{
    private readonly MigrationPhases _phases;
    private readonly MailSync _sync;
    private readonly ConversionPlanner _planner;

    public UserConversion(HelperConfig config, IStateStore store, IMigrationObserver? observer = null, Func<string, UnixAccount?>? findAccount = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        _phases = new MigrationPhases(config, store, observer, findAccount ?? UnixAccount.Find, FilterReferenceHandling.Refuse, []);
        _sync = new MailSync(config);
        _planner = new ConversionPlanner(config, _phases.States, _sync);
    }

    public HelperConfig Config { get; }

    private IMigrationObserver? Observer => _phases.Observer;

    /// <summary>The dry run: locations, mailboxes, space, conflicts. Touches nothing.</summary>
    public ConversionPlan Plan(UnixAccount account, string target) => _planner.Plan(account, target);

    /// <summary>The user's conversion record, or null when none is kept.</summary>
    public ConversionJournal? Journal(UnixAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        ConversionJournal? journal = ConversionJournal.Open(Config.Migration.JournalDirectory, account.Name, Config.Targets);
        journal?.RequireDescribes(account);
        return journal;
    }

    /// <summary>
    /// Converts the user. Refused with nothing touched on a conflict; a failure after the copy
    /// started leaves the user at the old location (the copy put aside) or, past the flip, at the
    /// target, and says so.
    /// </summary>
    public ConversionResult Convert(UnixAccount account, string target)
    {
        ArgumentNullException.ThrowIfNull(account);
        using IDisposable userLock = _phases.Lock(account.Name);
        if (_phases.OpenJournal(account) is { } migration && migration.Summary().IsPending)
            throw MigrationException.Refusal($"{account.Name}: a migration journal is pending ({migration.Path}): imaproot resume or resume --rollback first");
        if (Journal(account) is { } kept)
            throw MigrationException.Refusal($"{account.Name}: a conversion to {kept.To} is recorded in {kept.Path} (phase {ConversionJournal.Name(kept.Phase)}): imaproot {(kept.Phase == ConversionPhase.Converted ? "finalize or rollback" : "resume or resume --rollback")} first");
        ConversionPlan plan = _planner.Plan(account, target);
        ConversionPlanner.RequireExecutable(plan);
        _phases.Dovecot.RequireServesState(account);
        ConversionJournal journal = ConversionJournal.Create(Config.Migration.JournalDirectory, account, plan.From, target);
        CrashPoint.Reached("conversion-after-journal");
        var notes = new List<string>(plan.Notes);
        TimeSpan preSync;
        try
        {
            Observer?.PhaseStarted(account.Name, $"copying to {target} while the user is online");
            preSync = _sync.Backup(account, plan.Source!, plan.Destination);
        }
        catch (MigrationException e)
        {
            Abandon(journal, account, plan.Destination, notes);
            throw new MigrationException($"{e.Message}; the user stays {plan.From.Name}{Aside(notes)}", e);
        }
        CrashPoint.Reached("conversion-after-pre-sync");
        return CutOver(journal, account, plan.From, plan.Source!, plan.Destination, preSync, notes);
    }

    /// <summary>Finishes (or, with <paramref name="rollback"/>, undoes) an interrupted conversion or rollback from its record.</summary>
    public ConversionResult Resume(UnixAccount account, bool rollback)
    {
        ArgumentNullException.ThrowIfNull(account);
        using IDisposable userLock = _phases.Lock(account.Name);
        ConversionJournal journal = Journal(account) ?? throw MigrationException.Refusal($"{account.Name}: no conversion is recorded");
        (MailLocation source, MailLocation destination) = Locations(journal, account);
        var notes = new List<string>();
        switch (journal.Phase, rollback)
        {
            case (ConversionPhase.PreSync or ConversionPhase.CutOver, true):
                Observer?.PhaseStarted(account.Name, $"back to {journal.From.Name}: the copy is put aside");
                _phases.States.Set(account.Name, journal.From);
                _phases.Flush(account.Name, notes);
                Abandon(journal, account, destination, notes);
                return Result(account, journal.From, $"conversion to {journal.To} undone", null, default, default, default, notes);
            case (ConversionPhase.PreSync, false):
                journal.RecordPhase(ConversionPhase.PreSync);
                return CutOver(journal, account, journal.From, source, destination, _sync.Backup(account, source, destination), notes);
            case (ConversionPhase.CutOver, false):
                return CutOver(journal, account, journal.From, source, destination, default, notes);
            case (ConversionPhase.Converted, false):
                Flip(journal, account, notes);
                return Result(account, UserState.AtTarget(journal.To), $"conversion to {journal.To} complete", null, default, default, default, notes);
            case (ConversionPhase.Converted, true) or (ConversionPhase.RollingBack, false):
                return SyncBack(journal, account, source, destination, notes);
            default: // (RollingBack, true): the target still holds everything; back to it.
                journal.RecordPhase(ConversionPhase.Converted);
                Flip(journal, account, notes);
                return Result(account, UserState.AtTarget(journal.To), $"rollback of the conversion to {journal.To} undone", null, default, default, default, notes);
        }
    }

    /// <summary>Returns a converted user to the old location with everything delivered since (before finalize).</summary>
    public ConversionResult Rollback(UnixAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        using IDisposable userLock = _phases.Lock(account.Name);
        ConversionJournal journal = Journal(account) ?? throw MigrationException.Refusal($"{account.Name}: no conversion is recorded (after finalize the old mail is gone)");
        if (journal.Phase != ConversionPhase.Converted)
            throw MigrationException.Refusal($"{account.Name}: the conversion to {journal.To} is unfinished (phase {ConversionJournal.Name(journal.Phase)}): imaproot resume --rollback {account.Name}");
        (MailLocation source, MailLocation destination) = Locations(journal, account);
        return SyncBack(journal, account, source, destination, []);
    }

    /// <summary>
    /// Removes the old mail of a converted user (its root and its INBOX file), then the record: after
    /// this there is no way back. Refused unless the user is at the target and the old mail is as
    /// the conversion left it.
    /// </summary>
    public ConversionResult Finalize(UnixAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        using IDisposable userLock = _phases.Lock(account.Name);
        ConversionJournal journal = Journal(account) ?? throw MigrationException.Refusal($"{account.Name}: no conversion is recorded");
        UserState state = _phases.States.Current(account);
        if (journal.Phase != ConversionPhase.Converted || state != UserState.AtTarget(journal.To))
            throw MigrationException.Refusal($"{account.Name}: not converted to {journal.To} (state {state.Name}, phase {ConversionJournal.Name(journal.Phase)})");
        (MailLocation source, _) = Locations(journal, account);
        DateTime converted = File.GetLastWriteTimeUtc(journal.Path);
        var notes = new List<string>();
        var removed = new List<string>();
        using (var home = new HomeTree(account.Home))
        {
            if (Inside(account, source.Path) is { } root)
            {
                RequireUnchangedSince(source.Path, converted, account);
                notes.AddRange(home.RemoveTree(root, account.Uid).Select(l => $"left {l}"));
                removed.Add(source.Path);
            }
            else
            {
                notes.Add($"left {source.Path}: not inside the home {account.Home}");
            }
            home.SyncChanges();
        }
        if (source.Parameter("INBOX") is { } inbox && Inside(account, inbox) is null && Sys.LinkStatusOrNull(inbox) is { IsRegularFile: true } spool)
        {
            if (spool.Uid != account.Uid)
                notes.Add($"left {inbox}: owned by uid {spool.Uid}");
            else
            {
                RequireUnchangedSince(inbox, converted, account);
                using DirectoryHandle spoolDirectory = DirectoryHandle.OpenRoot(Path.GetDirectoryName(inbox)!);
                spoolDirectory.RemoveFile(Path.GetFileName(inbox));
                spoolDirectory.Sync();
                removed.Add(inbox);
            }
        }
        journal.Remove();
        Log(account.Name, $"finalized the conversion to {journal.To}: removed {string.Join(", ", removed)}");
        return Result(account, state, $"conversion to {journal.To} final: removed {(removed.Count == 0 ? "nothing" : string.Join(", ", removed))}", null, default, default, default, notes);
    }

    // Logins refused and deliveries deferred; the last copy, the counts compared, the flip.
    private ConversionResult CutOver(ConversionJournal journal, UnixAccount account, UserState from, MailLocation source, MailLocation destination, TimeSpan preSync, List<string> notes)
    {
        journal.RecordPhase(ConversionPhase.CutOver);
        var cutOver = Stopwatch.StartNew();
        try
        {
            _phases.Logins.Refuse(account, notes, "nothing was converted");
        }
        catch (MigrationException e)
        {
            // Resumed, the refusal puts the user back to migrating: the old state goes back with the record.
            PutBack(journal, account, from, destination, notes);
            throw new MigrationException($"{e.Message}{Aside(notes)}", e);
        }
        CrashPoint.Reached("conversion-after-migrating");
        var refused = Stopwatch.StartNew();
        MailboxCensus census;
        try
        {
            Observer?.PhaseStarted(account.Name, $"last copy to {journal.To} (logins refused)");
            _sync.Backup(account, source, destination);
            CrashPoint.Reached("conversion-after-final-sync");
            census = _sync.Census(account, source);
            if (census.Difference(_sync.Census(account, destination), _sync.Describe(destination)) is { } difference)
                throw new MigrationException($"{account.Name}: the copy differs from the original: {difference}");
        }
        catch (MigrationException e)
        {
            PutBack(journal, account, from, destination, notes);
            throw new MigrationException($"{e.Message}; the user is back to {from.Name}{Aside(notes)}", e);
        }
        journal.RecordPhase(ConversionPhase.Converted);
        Flip(journal, account, notes);
        refused.Stop();
        cutOver.Stop();
        Log(account.Name, $"converted to {journal.To}: {census.Messages} messages in {census.Mailboxes.Count} mailboxes, pre-sync {preSync.TotalSeconds:0.0} s, logins refused {refused.Elapsed.TotalSeconds:0.0} s");
        return Result(account, UserState.AtTarget(journal.To), $"converted to {journal.To}", census, preSync, cutOver.Elapsed, refused.Elapsed, notes);
    }

    // The state names the target; Dovecot must then serve it, or the user goes back (nothing was
    // delivered into a location Dovecot does not serve).
    private void Flip(ConversionJournal journal, UnixAccount account, List<string> notes)
    {
        _phases.States.Set(account.Name, UserState.AtTarget(journal.To));
        CrashPoint.Reached("conversion-after-flip");
        _phases.Flush(account.Name, notes);
        if (_phases.Dovecot.Disagreement(account) is not { } disagreement)
            return;
        (_, MailLocation destination) = Locations(journal, account);
        PutBack(journal, account, journal.From, destination, notes);
        throw new MigrationException($"{account.Name}: {disagreement}; the user is back to {journal.From.Name}{Aside(notes)}");
    }

    // Rollback: the target copied back over the old location, with everything delivered since.
    private ConversionResult SyncBack(ConversionJournal journal, UnixAccount account, MailLocation source, MailLocation destination, List<string> notes)
    {
        journal.RecordPhase(ConversionPhase.RollingBack);
        var cutOver = Stopwatch.StartNew();
        try
        {
            _phases.Logins.Refuse(account, notes, $"the user stays at {journal.To}");
        }
        catch (MigrationException)
        {
            journal.RecordPhase(ConversionPhase.Converted);
            throw;
        }
        CrashPoint.Reached("conversion-rollback-after-migrating");
        Observer?.PhaseStarted(account.Name, $"copying {journal.To} back to {journal.From.Name} (logins refused)");
        MailboxCensus census;
        try
        {
            _sync.Backup(account, destination, source);
            CrashPoint.Reached("conversion-rollback-after-sync");
            census = _sync.Census(account, destination);
            if (census.Difference(_sync.Census(account, source), _sync.Describe(source)) is { } difference)
                throw new MigrationException($"{account.Name}: the copy back differs from {journal.To}: {difference}");
        }
        catch (MigrationException e)
        {
            throw MigrationException.LeftMigrating($"{e.Message}; the user is left migrating", $"imaproot resume {account.Name} tries again, imaproot resume --rollback {account.Name} returns the user to {journal.To}", e);
        }
        _phases.States.Set(account.Name, journal.From);
        _phases.Flush(account.Name, notes);
        Abandon(journal, account, destination, notes);
        Log(account.Name, $"rolled back the conversion to {journal.To}: {census.Messages} messages back at {journal.From.Name}");
        return Result(account, journal.From, $"back to {journal.From.Name} from {journal.To}", census, default, cutOver.Elapsed, cutOver.Elapsed, notes);
    }

    // Before the flip nothing was served from the copy: the user goes back to the old state and the copy aside.
    private void PutBack(ConversionJournal journal, UnixAccount account, UserState from, MailLocation destination, List<string> notes)
    {
        _phases.States.Set(account.Name, from);
        _phases.Flush(account.Name, notes);
        Abandon(journal, account, destination, notes);
    }

    // The copy is renamed aside (never deleted: a conversion deletes nothing before finalize) and the record goes.
    private static void Abandon(ConversionJournal journal, UnixAccount account, MailLocation destination, List<string> notes)
    {
        if (Inside(account, destination.Path) is { } copy && Sys.LinkStatusOrNull(destination.Path) is { IsDirectory: true })
        {
            string aside = $"{copy}.imaproot-{DateTime.UtcNow:yyyyMMddTHHmmssZ}";
            using var home = new HomeTree(account.Home);
            home.Rename(copy, aside);
            home.SyncChanges();
            notes.Add($"the copy is kept aside at {Path.Combine(account.Home, aside)}");
        }
        journal.Remove();
    }

    private (MailLocation Source, MailLocation Destination) Locations(ConversionJournal journal, UnixAccount account)
    {
        LocationTemplate? from = Config.TemplateFor(journal.From);
        LocationTemplate to = Config.Targets.Template(journal.To)!;
        return from is null
            ? throw MigrationException.Refusal($"{account.Name}: {journal.Path} says the mail came from {journal.From.Name}, which has no location in {Config.Path}")
            : (from.Expand(account.Name, account.Home), to.Expand(account.Name, account.Home));
    }

    private static ConversionResult Result(UnixAccount account, UserState state, string what, MailboxCensus? census, TimeSpan preSync, TimeSpan cutOver, TimeSpan refused, List<string> notes) =>
        new(account.Name, state, what, census?.Messages ?? 0, preSync, cutOver, refused, notes);

    // The old mail must be as the conversion left it: a write since means something delivers there without Dovecot.
    private static void RequireUnchangedSince(string path, DateTime converted, UnixAccount account)
    {
        DateTime changed = Sys.LinkStatusOrNull(path) is { } status ? DateTimeOffset.FromUnixTimeSeconds(status.MtimeSeconds).UtcDateTime : DateTime.MinValue;
        if (changed > converted.AddSeconds(1))
            throw MigrationException.Refusal($"{account.Name}: {path} changed at {changed:yyyy-MM-ddTHH:mm:ssZ}, after the conversion: something still writes the old mail; look before finalizing");
    }

    // The path relative to the home when it lies strictly inside it; null otherwise.
    private static string? Inside(UnixAccount account, string path) =>
        MigrationLayout.IsBelow(Path.GetFullPath(path), account.Home, out string relative) ? relative : null;

    private static string Aside(List<string> notes) =>
        notes.LastOrDefault(n => n.StartsWith("the copy is kept aside", StringComparison.Ordinal)) is { } aside ? $"; {aside}" : "";

    private static void Log(string user, string what)
    {
        using Serilog.Core.Logger log = Logging.HelperLog.Create("imaproot", toStandardError: false);
        log.Information("{User}: {What}", user, what);
    }
}
