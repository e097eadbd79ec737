using DovecotRootHelper.Posix;

namespace DovecotRootHelper.Migration;

/// <summary>
/// After the state says migrated, for one user or each of a batch: the journal records the flip,
/// Dovecot forgets its cached answer and must now answer the migrated root, or every move is undone
/// and the user is legacy again; then the journal is complete.
/// </summary>
internal sealed class Completion(MigrationPhases phases)
{
    public void Complete(Journal journal, UnixAccount account, List<string> messages)
    {
        journal.RecordPhase(JournalPhase.Migrated);
        phases.Flush(account.Name, messages);
        if (phases.Dovecot.Disagreement(account) is { } disagreement)
            PutBack(journal, account, disagreement);
        journal.RecordPhase(JournalPhase.Complete);
    }

    // Dovecot does not serve the migrated root: the user is put back as before the migration, and
    // the exception says why.
    private void PutBack(Journal journal, UnixAccount account, string disagreement)
    {
        try
        {
            phases.Rollback.Run(journal, account);
        }
        catch (Exception e) when (e is MigrationException or IOException)
        {
            throw new MigrationException($"{account.Name}: {disagreement}; putting the user back failed too: {e.Message}");
        }
        throw new MigrationException($"{account.Name}: {disagreement}; user put back to legacy, nothing left moved");
    }
}
