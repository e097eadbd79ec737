using System.Globalization;
using DovecotRootHelper.Cli.Reports;
using DovecotRootHelper.Decision;
using DovecotRootHelper.Locations;
using DovecotRootHelper.Migration;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Cli.Commands;

/// <summary>
/// <c>imaproot status USER...</c>: the state the login hook would decide (looked up exactly as the
/// hook does), the location Dovecot gets, and any pending migration journal.
/// </summary>
internal static class StatusCommand
{
    public static int Run(CommandContext context)
    {
        context.Arguments.Allow();
        context.Arguments.Expect(1, int.MaxValue, "status USER...");
        Func<string, StateEntry?> lookUp = LookUp(context);
        UserMigration migration = context.Migration();
        var users = new List<UserStatus>();
        int exitCode = ExitCodes.Ok;
        foreach (string user in context.Arguments.Operands)
        {
            (UserStatus status, int code) = Decide(context, migration, lookUp, user);
            users.Add(status);
            if (exitCode == ExitCodes.Ok)
                exitCode = code;
            if (status.Error is not null)
                Imaproot.Fail(context.Console, code, status.Error);
            else if (!context.Json)
                Print(context.Console.Out, status);
        }
        if (context.Json)
            context.Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new StatusReport(users), ImaprootJson.Output.StatusReport));
        return exitCode;
    }

    private static (UserStatus Status, int ExitCode) Decide(CommandContext context, UserMigration migration, Func<string, StateEntry?> lookUp, string user)
    {
        UnixAccount? account;
        try
        {
            account = StateFileSyntax.IsValidUserName(user) ? context.FindAccount(user) : null;
        }
        catch (AccountLookupException e)
        {
            return (Failed(user, e.Message), ExitCodes.AccountLookupFailed);
        }
        if (account is null)
            return (Failed(user, $"{user}: no such user"), ExitCodes.UnknownUser);
        RootDecision decision;
        StateEntry? entry;
        try
        {
            entry = lookUp(user);
            decision = RootDecision.Decide(context.Config, user, account.Home, account.Uid.ToString(CultureInfo.InvariantCulture), entry, entry is null ? null : context.Store.Where(entry));
        }
        catch (StateFileException e)
        {
            return (Failed(user, $"{user}: logins refused: {e.Message}"), ExitCodes.InvalidConfigOrState);
        }
        catch (LocationException e)
        {
            return (Failed(user, $"{user}: {e.Message}"), ExitCodes.Failed);
        }

        JournalSummary? journal;
        ConversionJournal? conversion;
        try
        {
            journal = migration.Pending(account);
            conversion = context.Conversion().Journal(account);
        }
        catch (JournalException e)
        {
            // A journal nobody may act on is never shown as resumable: the line says why it is refused.
            return (Failed(user, e.Message), ExitCodes.InvalidConfigOrState);
        }
        Dictionary<string, string>? fields = decision.Location is null ? null : context.Config.Generation.UserdbFields(decision.Location).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
        return (new UserStatus(
            user,
            account.Uid,
            account.Home,
            decision.State.ToName(),
            entry is not null,
            entry?.Line,
            entry?.Note,
            decision.Why,
            decision.RefusesLogin,
            decision.Location?.ToDovecot23(),
            fields,
            journal is null ? null : new PendingJournal(journal.Phase, journal.StepsDone, journal.StepCount, journal.Path),
            null)
        {
            Conversion = conversion is null ? null : new ConversionRecord(conversion.From.Name, conversion.To, ConversionJournal.Name(conversion.Phase), conversion.Path),
        }, ExitCodes.Ok);
    }

    // The state file is read once and each user looked up in it as the hook does (a bad line refuses
    // only its user); the database is asked per user, as Dovecot's sql userdb does.
    private static Func<string, StateEntry?> LookUp(CommandContext context)
    {
        if (context.Config.Backend != StateBackend.File)
            return context.Store.Find;
        string path = context.Config.StateFile;
        ReadOnlyMemory<byte> stateFile = StateFileReader.ReadTrusted(path);
        return user => StateFileSyntax.FindUser(stateFile.Span, System.Text.Encoding.UTF8.GetBytes(user), path, targets: context.Config.Targets);
    }

    private static UserStatus Failed(string user, string error) =>
        new(user, null, null, null, false, null, null, null, false, null, null, null, error);

    private static void Print(TextWriter writer, UserStatus status)
    {
        var output = new VisibleText(writer);
        output.WriteLine($"{status.User}: {status.State} ({status.Why})");
        if (!string.IsNullOrEmpty(status.Note))
            output.WriteLine($"  note: {status.Note}");
        if (status.LoginsRefused)
            output.WriteLine("  logins: refused until the migration is resumed or rolled back");
        else
        {
            foreach (KeyValuePair<string, string> field in status.Fields!)
                output.WriteLine($"  {field.Key}: {field.Value}");
        }
        if (status.Pending is { } pending)
            output.WriteLine($"  journal: pending, phase {pending.Phase}, {pending.StepsDone} of {pending.StepCount} steps done ({pending.Path}); imaproot resume {status.User} or imaproot resume --rollback {status.User}");
        else
            output.WriteLine("  journal: none pending");
        if (status.Conversion is { Phase: "converted" } kept)
            output.WriteLine($"  conversion: from {kept.From} to {kept.To} ({kept.Path}); the old mail stays until imaproot finalize {status.User}, imaproot rollback {status.User} returns the user");
        else if (status.Conversion is { } unfinished)
            output.WriteLine($"  conversion: from {unfinished.From} to {unfinished.To} unfinished, phase {unfinished.Phase} ({unfinished.Path}); imaproot resume {status.User} or imaproot resume --rollback {status.User}");
    }
}
