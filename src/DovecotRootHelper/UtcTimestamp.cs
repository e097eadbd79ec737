using System.Globalization;

namespace DovecotRootHelper;

/// <summary>
/// The one way a moment is written where people and scripts read it back (state file notes, the
/// migration schedule, reports): UTC, to the second, <c>2026-03-01T09:30:00Z</c>; and to the
/// millisecond (<c>2026-03-01T09:30:00.104Z</c>) where a span of a second or two must add up.
/// </summary>
public static class UtcTimestamp
{
    private const string Seconds = "yyyy-MM-dd'T'HH:mm:ss'Z'";
    private const string Milliseconds = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary><paramref name="utc"/> to the second: <c>2026-03-01T09:30:00Z</c>.</summary>
    public static string Format(DateTime utc) => utc.ToString(Seconds, CultureInfo.InvariantCulture);

    /// <summary><paramref name="utc"/> to the millisecond (cut, not rounded): <c>2026-03-01T09:30:00.104Z</c>.</summary>
    public static string FormatMilliseconds(DateTime utc) => utc.ToString(Milliseconds, CultureInfo.InvariantCulture);

    /// <summary><paramref name="utc"/> in the machine's time zone, to the minute, for people: <c>2026-03-01 10:30 +01:00</c>.</summary>
    public static string FormatLocal(DateTime utc) => utc.ToLocalTime().ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture);

    /// <summary><paramref name="utc"/> to the second, in a file or directory name: <c>20260301T093000Z</c>.</summary>
    public static string FormatForName(DateTime utc) => utc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Now, to the second.</summary>
    public static string Now() => Format(DateTime.UtcNow);

    /// <summary>A moment written by <see cref="Format"/>, as UTC; false for anything else.</summary>
    public static bool TryParse(string text, out DateTime utc) =>
        DateTime.TryParseExact(text, Seconds, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out utc);
}
