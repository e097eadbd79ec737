namespace DovecotRootHelper.State;

/// <summary>
/// A file derived from the state file that the writer keeps in step with it: rewritten under the
/// state file's lock each time the state file is published, after the state file and its index.
/// </summary>
public interface IStateFileCompanion
{
    /// <summary>Throws (with a message naming the user and what is wrong) when these contents cannot be written out; called before anything is written.</summary>
    void Validate(StateFileContents contents);

    /// <summary>Writes the derived file(s) for these contents, atomically.</summary>
    void Write(StateFileContents contents);

    /// <summary>Null when the file(s) on disk are what <see cref="Write"/> would write for these contents, else what is wrong, one line each.</summary>
    IReadOnlyList<string> Disagreements(StateFileContents contents);
}
