using System.Runtime.CompilerServices;

namespace DovecotRootHelper.Usage.Store;

/// <summary>The commands counted per mailbox, each a column of mailbox_use; UID COPY and UID MOVE count as COPY and MOVE.</summary>
public static class UsageColumns
{
    public static readonly string[] Commands = ["SELECT", "EXAMINE", "STATUS", "APPEND", "COPY", "MOVE"];

    public static readonly string[] Names = ["selects", "examines", "statuses", "appends", "copies", "moves"];

    public static int Of(string command) => command switch
    {
        "SELECT" => 0,
        "EXAMINE" => 1,
        "STATUS" => 2,
        "APPEND" => 3,
        "COPY" or "UID COPY" => 4,
        "MOVE" or "UID MOVE" => 5,
        _ => throw new ArgumentException($"not a mailbox command: {command}", nameof(command)),
    };

    /// <summary>One count per command, in <see cref="Commands"/>' order.</summary>
    [InlineArray(6)]
    public struct Counts
    {
        private long _first;
    }
}
