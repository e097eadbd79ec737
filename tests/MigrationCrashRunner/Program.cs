// Runs one migration in a process of its own, so that DOVECOT_ROOT_HELPER_CRASH_AT can SIGKILL it.
// Usage: MigrationCrashRunner CONFIG USER HOME UID
using DovecotRootHelper.Configuration;
using DovecotRootHelper.Migration;
using DovecotRootHelper.Posix;

if (args.Length != 4)
{
    Console.Error.WriteLine("usage: MigrationCrashRunner CONFIG USER HOME UID");
    return 2;
}
uint uid = uint.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
var migration = new UserMigration(HelperConfig.Load(args[0]))
{
    FindAccount = name => name == args[1] ? new UnixAccount(args[1], uid, uid, args[2]) : null,
};
try
{
    MigrationResult result = migration.Migrate(args[1], MailboxSelection.None);
    Console.WriteLine($"{result.User} {result.FinalState} {result.StepsDone}");
    return 0;
}
catch (MigrationException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
