namespace DovecotRootHelper.Migration;

/// <summary>Progress reports for a terminal display.</summary>
public interface IMigrationObserver
{
    void PhaseStarted(string user, string description);

    void StepStarted(string user, int index, int count, string description);
}
