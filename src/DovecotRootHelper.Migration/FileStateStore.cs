using DovecotRootHelper.Configuration;
using DovecotRootHelper.Dovecot;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Migration;

/// <summary>
/// The state in the state file (<c>[state] backend = file</c>, the default): changed under
/// <c>FILE.lock</c> with its index and the all-services userdb; the user, run-due and schedule
/// locks are files in the journal directory.
/// </summary>
public sealed class FileStateStore(HelperConfig config) : IStateStore
{
    private readonly UserdbOverlay? _userdb = UserdbOverlay.For(config);

    public string Name => config.StateFile;

    public string Where(StateEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return $"{config.StateFile} line {entry.Line}";
    }

    /// <summary>A missing state file lists nobody.</summary>
    public StateEntry? Find(string user) => Sys.LinkStatusOrNull(config.StateFile) is null ? null : Valid(StateFileReader.ReadAll(config.StateFile, config.Targets)).Find(user);

    /// <summary>A missing state file is refused (as <c>list</c> always did); a bad line too, counted.</summary>
    public IReadOnlyList<StateEntry> Entries() => Valid(StateFileReader.ReadAll(config.StateFile, config.Targets)).Entries;

    /// <summary>The whole file, parsed, for the commands that work on the file itself (check, edit).</summary>
    public StateFileContents Contents() => StateFileReader.ReadAll(config.StateFile, config.Targets);

    public IStateChange BeginChange() => new Change(StateFileWriter.Lock(config.StateFile, _userdb, config.Targets));

    public void WaitUntilServed() => _userdb?.WaitUntilDovecotSees();

    public IDisposable? TryLockUser(string user) => TryLock(UserLockPath(user));

    public IDisposable? TryLockRunDue() => TryLock(RunDueLockPath);

    public string HeldLock(string? user) => $"{(user is null ? RunDueLockPath : UserLockPath(user))} is locked";

    public IMigrationSchedule LockSchedule() => MigrationSchedule.Lock(config.Migration.JournalDirectory);

    public void Dispose()
    {
    }

    private string UserLockPath(string user) => Path.Combine(config.Migration.JournalDirectory, user + ".lock");

    private string RunDueLockPath => Path.Combine(config.Migration.JournalDirectory, "run-due.lock");

    // The locks live beside the journals and are opened as root: the same directory rule.
    private FileDescriptor? TryLock(string path)
    {
        Journal.EnsureDirectory(config.Migration.JournalDirectory);
        FileDescriptor fd = Sys.OpenLockFile(path, FileModes.UserReadWrite);
        if (Sys.TryLockExclusive(fd, path))
            return fd;
        fd.Dispose();
        return null;
    }

    private static StateFileContents Valid(StateFileContents contents) =>
        contents.IsValid ? contents : throw new StateUnreadableException(contents.Problems[0].Message, contents.Problems.Count);

    // The file is written by each SetState; Commit has nothing left to do.
    private sealed class Change(StateFileWriter writer) : IStateChange
    {
        public StateEntry? Find(string user) => writer.Read().Find(user);

        public StateEntry SetState(string user, UserState state, string note) => writer.SetState(user, state, note);

        public void SetStates(IReadOnlyList<(string User, UserState State)> changes, string note) => writer.SetStates(changes, note);

        public void Commit()
        {
        }

        public void Dispose() => writer.Dispose();
    }
}
