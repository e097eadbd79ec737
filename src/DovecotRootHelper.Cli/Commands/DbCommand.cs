using DovecotRootHelper.Cli.Reports;
using DovecotRootHelper.Dovecot;
using DovecotRootHelper.PostgreSql;

namespace DovecotRootHelper.Cli.Commands;

/// <summary>
/// <c>imaproot db init</c> and <c>imaproot db upgrade</c>: create or upgrade imaproot's schema in
/// the PostgreSQL database <c>[postgresql] conninfo-file</c> names. Each run also writes the rows Dovecot's sql
/// userdb reads from the config's [locations] and [state], and makes <c>[postgresql] dovecot-role</c>
/// a member of imaproot_dovecot. A schema newer than this imaproot knows: exit 4.
/// <c>imaproot db status</c> changes nothing: the schema's version, whether Dovecot's rows match the
/// config, the users per state and the schedule; exit 4 when a db command is due, 1 when the server
/// cannot be reached.
/// </summary>
internal static class DbCommand
{
    /// <summary>The words after <c>db</c> and what runs each.</summary>
    public static readonly IReadOnlyDictionary<string, Func<CommandContext, int>> Verbs = new Dictionary<string, Func<CommandContext, int>>(StringComparer.Ordinal)
    {
        ["init"] = context => Change(context, "init", (database, dovecot) => StateSchema.Init(database, dovecot, context.Config.PostgresqlDovecotRole)),
        ["upgrade"] = context => Change(context, "upgrade", (database, dovecot) => StateSchema.Upgrade(database, dovecot, context.Config.PostgresqlDovecotRole)),
        ["status"] = Status,
    };

    public static int Run(CommandContext context)
    {
        string? verb = context.Arguments.Operands.Count > 0 ? context.Arguments.Operands[0] : null;
        return verb is not null && Verbs.TryGetValue(verb, out Func<CommandContext, int>? run)
            ? run(context)
            : throw CommandFailure.Usage("usage: imaproot db init | db upgrade | db status");
    }

    private static int Change(CommandContext context, string verb, Func<StateDatabase, SqlUserdbSettings, SchemaChange> change)
    {
        context.Arguments.Allow("--yes");
        context.Arguments.Expect(1, 1, $"db {verb}");
        SchemaChange done;
        try
        {
            using StateDatabase database = context.Database("imaproot db");
            done = change(database, SqlUserdbSettings.From(context.Config));
        }
        catch (SchemaTooNewException e)
        {
            throw new CommandFailure(ExitCodes.InvalidConfigOrState, e.Message);
        }
        catch (StateDatabaseException e)
        {
            throw new CommandFailure(ExitCodes.Failed, e.Message);
        }
        context.Console.Out.WriteLine(done switch
        {
            { Before: 0 } => $"schema: version {done.After} created",
            { Changed: true } => $"schema: upgraded from version {done.Before} to {done.After}",
            _ => $"schema: version {done.After}, current (nothing to do)",
        });
        if (done.RoleGranted is bool granted)
            context.Console.Out.WriteLine($"dovecot role: {context.Config.PostgresqlDovecotRole} {(granted ? "made" : "is")} a member of {DovecotRole.GroupRole}");
        return ExitCodes.Ok;
    }

    private static int Status(CommandContext context)
    {
        context.Arguments.Allow();
        context.Arguments.Expect(1, 1, "db status");
        DbStatusReport report;
        try
        {
            using StateDatabase database = context.Database("imaproot db status");
            report = StatusOf(database, SqlUserdbSettings.From(context.Config), context.Config.PostgresqlDovecotRole);
        }
        catch (StateDatabaseException e)
        {
            throw new CommandFailure(ExitCodes.Failed, e.Message);
        }
        if (context.Json)
        {
            context.Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(report, ImaprootJson.Output.DbStatusReport));
        }
        else
        {
            TextWriter output = context.Console.Out;
            output.WriteLine($"database: the {report.Database}");
            output.WriteLine(report.Schema switch
            {
                "none" => "schema: none",
                "current" => $"schema: version {report.SchemaVersion}, current",
                "older" => $"schema: version {report.SchemaVersion}, older than this imaproot's ({report.CurrentVersion})",
                _ => $"schema: version {report.SchemaVersion}, newer than this imaproot knows ({report.CurrentVersion}): use the imaproot that wrote it, or a newer one",
            });
            output.WriteLine(report.DovecotRows switch
            {
                "match" => "dovecot: the rows Dovecot's sql userdb reads match the config",
                "differ" => $"dovecot: the rows Dovecot's sql userdb reads differ from the config ({string.Join("; ", report.Differences)})",
                "empty" => "dovecot: imaproot.dovecot_userdb is empty: Dovecot's sql userdb refuses every user for now",
                _ => "dovecot: not read (the schema is not this imaproot's)",
            });
            if (report.Users is { } users)
            {
                string each = string.Join(", ", users.Select(u => $"{u.Key} {u.Value}"));
                output.WriteLine($"users: {users.Values.Sum()}{(each.Length > 0 ? $" ({each})" : "")}");
                output.WriteLine($"schedule: {report.Scheduled} migration(s) scheduled");
                output.WriteLine(report.DovecotRole is null
                    ? $"dovecot role: not named ([postgresql] dovecot-role): whether Dovecot's role is a member of {DovecotRole.GroupRole} is not checked"
                    : $"dovecot role: {report.DovecotRoleProblem ?? $"{report.DovecotRole}, a member of {DovecotRole.GroupRole}"}");
            }
            if (report.Action is not null)
                output.WriteLine($"to do: {report.Action}");
        }
        return report.Action is null ? ExitCodes.Ok : ExitCodes.InvalidConfigOrState;
    }

    private static DbStatusReport StatusOf(StateDatabase database, SqlUserdbSettings config, string? role)
    {
        SchemaStatus status = SchemaStatus.Read(database);
        int current = StateSchema.Current;
        string schema = status.Version == 0 ? "none" : status.Version == current ? "current" : status.Version < current ? "older" : "newer";
        IReadOnlyList<string> differences = status.DovecotRow is { } row ? DovecotUserdbRow.Differences(row, config) : [];
        string rows = status.Version < 2 || status.Version > current ? "unread" : status.DovecotRow is null ? "empty" : differences.Count > 0 ? "differ" : "match";
        StateCounts? counts = schema == "current" ? StateCounts.Read(database) : null;
        DovecotRole.Membership? membership = schema == "current" && role is not null ? DovecotRole.Read(database, role) : null;
        string? action = schema switch
        {
            "none" => "imaproot db init",
            "older" => "imaproot db upgrade",
            "newer" => "use the imaproot that wrote the schema, or a newer one",
            _ when membership is { Exists: false } => $"create the role {role}, then imaproot db upgrade",
            _ => rows == "match" && membership is null or { Member: true } ? null : "imaproot db upgrade",
        };
        return new DbStatusReport(
            database.Settings.Describe(),
            status.Version,
            current,
            schema,
            rows,
            differences,
            counts?.Users.ToDictionary(u => u.Key, u => u.Value, StringComparer.Ordinal),
            counts?.Scheduled,
            membership is null ? null : role,
            membership?.Member,
            role is null ? null : membership?.Problem(role),
            action);
    }
}
