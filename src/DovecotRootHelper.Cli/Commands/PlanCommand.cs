using DovecotRootHelper.Cli.Reports;
using DovecotRootHelper.Migration;
using DovecotRootHelper.Posix;

namespace DovecotRootHelper.Cli.Commands;

/// <summary><c>imaproot plan USER</c>: the dry run; exits 1 when the plan has conflicts.</summary>
internal static class PlanCommand
{
    public static int Run(CommandContext context)
    {
        context.Arguments.Allow("--mailbox", "--mailboxes-from", "--filter-references");
        context.Arguments.Expect(1, 1, "plan USER [--mailbox NAME]... [--mailboxes-from FILE] [--filter-references HOW]");
        string user = context.Arguments.Operands[0];
        UnixAccount account = context.Account(user);
        MailboxSelection selection = MailboxSelectionArguments.From(context.Arguments, context.Console.In);
        PlanReport plan = PlanView.Report(context.Migration().Plan(account, selection), context.Config.Migration);
        if (context.Json)
            context.Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(plan, ImaprootJson.Output.PlanReport));
        else
            PlanView.Print(context.Console.Out, plan);
        return plan.CanExecute ? ExitCodes.Ok : Imaproot.Fail(context.Console, ExitCodes.Failed, $"{user}: the plan has {plan.Conflicts.Count} conflict(s)");
    }
}
