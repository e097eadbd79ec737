using System.Globalization;
using DovecotRootHelper.Migration;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Cli.Commands;

/// <summary>
/// <c>imaproot schedule USER... --at TIME [--to TARGET] [--notify] [--dry-run]</c> (with --to, a
/// conversion to that target of [locations] instead of the root move), <c>schedule --list</c>,
/// <c>schedule --cancel USER...</c>: the durable schedule <c>run-due</c> works through. With
/// <c>--notify</c> each user is sent the <c>[notices] before</c> mail, through sendmail, before the
/// schedule is written; <c>--dry-run</c> prints the mails and schedules nothing.
/// </summary>
internal static class ScheduleCommand
{
    private static readonly string[] TimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss",
        "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd HH:mmK", "yyyy-MM-dd HH:mm:ssK",
    ];

    public static int Run(CommandContext context)
    {
        context.Arguments.Allow("--at", "--to", "--notify", "--dry-run", "--list", "--cancel", "--yes");
        if (context.Arguments.Has("--list"))
        {
            context.Arguments.Expect(0, 0, "schedule --list");
            return List(context);
        }
        if (context.Arguments.Has("--cancel"))
        {
            context.Arguments.Expect(1, int.MaxValue, "schedule --cancel USER...");
            return Cancel(context);
        }
        context.Arguments.Expect(1, int.MaxValue, "schedule USER... --at TIME [--to TARGET] [--notify] [--dry-run]");
        string at = context.Arguments.Value("--at") ?? throw CommandFailure.Usage("schedule: --at TIME is required (for example --at 2026-12-01T02:00, the machine's time zone, or with Z or +01:00)");
        DateTime when = ParseTime(at);
        string? target = context.Arguments.Value("--to");
        if (target is not null && context.Config.Targets.Template(target) is null)
            throw CommandFailure.Usage($"schedule: --to {target}: not a target of [locations] in {context.ConfigPath} (targets: {(context.Config.Targets.Count == 0 ? "none" : string.Join(", ", context.Config.Targets.Names))})");
        string what = target is null ? "migration" : $"conversion to {target}";
        List<string> users = [.. context.Arguments.Operands.Distinct(StringComparer.Ordinal)];
        foreach (string user in users)
        {
            if (MigrationSchedule.NameProblem(user) is { } problem)
                throw new CommandFailure(ExitCodes.UnknownUser, $"{problem}: not scheduled");
            context.Account(user);
        }
        bool notify = context.Arguments.Has("--notify");
        if (notify || context.Arguments.Has("--dry-run"))
        {
            string template = context.Config.Notices.BeforeTemplate
                ?? throw new CommandFailure(ExitCodes.InvalidConfigOrState, $"{context.Config.Path}: [notices] before is unset: --notify needs the template of the notice mail");
            List<MigrationNotice> notices = [.. users.Select(u => MigrationNotice.Compose(template, u, when))];
            if (context.Arguments.Has("--dry-run"))
            {
                foreach (MigrationNotice notice in notices)
                    context.Console.Out.Write($"---- notice to {notice.User} (not sent; nothing scheduled)\n{notice.Text}{(notice.Text.EndsWith('\n') ? "" : "\n")}");
                return ExitCodes.Ok;
            }
            foreach (MigrationNotice notice in notices)
            {
                if (notice.Send(context.Config.Notices) is { } failed)
                    throw new CommandFailure(ExitCodes.Failed, $"{notice.User}: the notice was not sent: {failed}; nothing scheduled for {notice.User} or any user after it");
                context.Console.Out.WriteLine($"{notice.User}: notice sent");
                using IMigrationSchedule schedule = context.Store.LockSchedule();
                schedule.Schedule([notice.User], when, notify: true, target);
            }
        }
        else
        {
            using IMigrationSchedule schedule = context.Store.LockSchedule();
            schedule.Schedule(users, when, notify: false, target);
        }
        foreach (string user in users)
            context.Console.Out.WriteLine($"{user}: {what} scheduled at {UtcTimestamp.Format(when)} ({UtcTimestamp.FormatLocal(when)}); imaproot run-due {(target is null ? "migrates" : "converts")} it from then on");
        return ExitCodes.Ok;
    }

    private static int List(CommandContext context)
    {
        using IMigrationSchedule schedule = context.Store.LockSchedule();
        DateTime now = DateTime.UtcNow;
        if (context.Json)
        {
            context.Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(
                new Reports.ScheduleReport([.. schedule.Entries.OrderBy(e => e.At).Select(e => new Reports.ScheduledUser(e.User, UtcTimestamp.Format(e.At), e.Notify, e.At <= now) { To = e.To })]),
                Reports.ImaprootJson.Output.ScheduleReport));
            return ExitCodes.Ok;
        }
        if (schedule.Entries.Count == 0)
            context.Console.Out.WriteLine($"{schedule.Name}: no migration scheduled");
        foreach (ScheduledMigration e in schedule.Entries.OrderBy(e => e.At))
            context.Console.Out.WriteLine($"{e.User}\t{UtcTimestamp.Format(e.At)}\t{(e.Notify ? "notified" : "not notified")}{(e.To is null ? "" : "\tto " + e.To)}{(e.At <= now ? "\tdue" : "")}");
        return ExitCodes.Ok;
    }

    private static int Cancel(CommandContext context)
    {
        List<string> users = [.. context.Arguments.Operands.Distinct(StringComparer.Ordinal)];
        using IMigrationSchedule schedule = context.Store.LockSchedule();
        var removed = schedule.Cancel(users).Select(e => e.User).ToHashSet(StringComparer.Ordinal);
        int exitCode = ExitCodes.Ok;
        foreach (string user in users)
        {
            if (removed.Contains(user))
            {
                context.Console.Out.WriteLine($"{user}: scheduled migration cancelled");
            }
            else
            {
                Imaproot.Fail(context.Console, ExitCodes.Failed, $"{user}: no migration scheduled in {schedule.Name}");
                exitCode = ExitCodes.Failed;
            }
        }
        return exitCode;
    }

    private static DateTime ParseTime(string text)
    {
        if (!DateTimeOffset.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out DateTimeOffset parsed))
            throw CommandFailure.Usage($"schedule: --at {text}: expected YYYY-MM-DDTHH:MM[:SS] in the machine's time zone, or with Z or an offset such as +01:00");
        return parsed.UtcDateTime;
    }
}
