using DovecotRootHelper.Cli.Reports;
using DovecotRootHelper.Configuration;
using DovecotRootHelper.Dovecot;
using DovecotRootHelper.PostgreSql;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Cli;

/// <summary>
/// <c>imaproot check</c> with <c>[state] backend = postgresql</c>: the database reachable, its schema
/// the one this imaproot reads, the row Dovecot's sql userdb reads equal to what the config gives
/// (<see cref="SqlUserdbSettings.From"/>), and its users. A database that cannot be reached is a
/// problem, not a warning as a Dovecot that cannot be asked is: it is the state itself (as an
/// unreadable state file is), and while it cannot be reached Dovecot's sql userdb refuses every
/// login and delivery.
/// </summary>
internal static class StateDatabaseCheck
{
    /// <summary>The database's users, or null when they could not be read (each reason in <paramref name="problems"/>).</summary>
    /// <param name="name">The database, for check's last line; the connection file when it cannot be read.</param>
    public static IReadOnlyList<StateEntry>? Run(CommandContext context, HelperConfig config, List<CheckProblem> problems, List<string> notes, out string name)
    {
        string conninfo = config.PostgresqlConninfoFile!;
        name = conninfo;
        ConnectionSettings settings;
        try
        {
            settings = ConninfoFile.Load(conninfo);
        }
        catch (ConfigException e)
        {
            problems.AddRange(e.Problems.Select(p => new CheckProblem(p.Path ?? conninfo, p.Line, p.Message)));
            return null;
        }
        name = $"the PostgreSQL {settings.Describe()}";
        SchemaStatus status;
        DovecotRole.Membership? membership = null;
        try
        {
            using var database = new StateDatabase(settings);
            status = SchemaStatus.Read(database);
            if (config.PostgresqlDovecotRole is { } named && status.Version == StateSchema.Current)
                membership = DovecotRole.Read(database, named);
        }
        catch (StateDatabaseException e)
        {
            problems.Add(new CheckProblem(conninfo, 0, e.Message));
            return null;
        }
        string where = $"{conninfo}: the {settings.Describe()}";
        if (status.Version != StateSchema.Current)
        {
            problems.Add(new CheckProblem(conninfo, 0, status.Version switch
            {
                0 => $"{where} holds no imaproot schema: run imaproot db init",
                int older when older < StateSchema.Current => $"{where} holds imaproot schema version {older}, this imaproot reads {StateSchema.Current}: run imaproot db upgrade",
                int newer => $"{where} holds imaproot schema version {newer}, newer than this imaproot knows ({StateSchema.Current}): use the imaproot that wrote it, or a newer one",
            }));
            return null;
        }
        if (status.DovecotRow is not { } row)
        {
            problems.Add(new CheckProblem(conninfo, 0, $"{where}: imaproot.dovecot_userdb is empty, so Dovecot's sql userdb refuses every user for now: run imaproot db upgrade"));
        }
        else if (DovecotUserdbRow.Differences(row, SqlUserdbSettings.From(config)) is { Count: > 0 } differences)
        {
            problems.Add(new CheckProblem(config.Path, 0, $"{where}: the database's Dovecot settings differ from the config ({string.Join("; ", differences)}): run imaproot db upgrade"));
        }
        if (config.PostgresqlDovecotRole is { } role && membership?.Problem(role) is { } roleProblem)
            problems.Add(new CheckProblem(config.Path, 0, $"{where}: {roleProblem}"));
        IReadOnlyList<StateEntry> entries;
        try
        {
            entries = context.Store.Entries();
        }
        catch (StateUnreadableException e)
        {
            problems.Add(new CheckProblem(conninfo, 0, e.Message));
            return null;
        }
        foreach (StateEntry entry in entries.Where(e => e.State == UserState.Migrating))
            notes.Add($"{entry.User} is migrating (imaproot.user_state): logins refused until imaproot resume {entry.User} or imaproot resume --rollback {entry.User}");
        return entries;
    }
}
