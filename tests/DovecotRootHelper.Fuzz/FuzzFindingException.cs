namespace DovecotRootHelper.Fuzz;

/// <summary>An accepted input whose result breaks a property the parser promises.</summary>
public sealed class FuzzFindingException(string message) : Exception(message)
{
    public static void Unless(bool holds, string property)
    {
        if (!holds)
            throw new FuzzFindingException(property);
    }
}
