using DovecotRootHelper.Dovecot;
using DovecotRootHelper.PostgreSql;

namespace DovecotRootHelper.Cli.Commands;

/// <summary>
/// <c>imaproot db init</c> and <c>imaproot db upgrade</c>: create or upgrade imaproot's schema in
/// the PostgreSQL database <c>[postgresql] conninfo-file</c> names (the PostgreSQL backend is not
/// finished: only Dovecot's sql userdb reads the tables yet). Each run also writes the row Dovecot's sql
/// userdb reads from the config's [locations] and [state]. A schema newer than this imaproot knows: exit 4.
/// </summary>
internal static class DbCommand
{
    /// <summary>The words after <c>db</c> and what runs each.</summary>
    public static readonly IReadOnlyDictionary<string, Func<CommandContext, int>> Verbs = new Dictionary<string, Func<CommandContext, int>>(StringComparer.Ordinal)
    {
        ["init"] = context => Change(context, "init", (database, dovecot) => StateSchema.Init(database, dovecot)),
        ["upgrade"] = context => Change(context, "upgrade", (database, dovecot) => StateSchema.Upgrade(database, dovecot)),
    };

    public static int Run(CommandContext context)
    {
        string? verb = context.Arguments.Operands.Count > 0 ? context.Arguments.Operands[0] : null;
        return verb is not null && Verbs.TryGetValue(verb, out Func<CommandContext, int>? run)
            ? run(context)
            : throw CommandFailure.Usage("usage: imaproot db init | db upgrade");
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
        return ExitCodes.Ok;
    }
}
