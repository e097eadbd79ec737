using System.Buffers.Text;

namespace DovecotRootHelper.Usage.Logs;

/// <summary>
/// The time at the start of a log line: RFC 3339 (rsyslog's high-precision format, Dovecot's
/// exporter), "YYYY-MM-DD HH:MM:SS" (a custom log_timestamp), or the BSD syslog and Dovecot default
/// "Mmm dd HH:MM:SS", which has no year: it is taken from <c>reference</c> (the file's modification
/// time), one year earlier when the date would lie more than a day after it.
/// </summary>
internal static class LogTimestamp
{
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>Unix seconds, or null when the line does not start with a time this reads.</summary>
    public static long? Parse(ReadOnlySpan<byte> line, DateTimeOffset reference)
    {
        if (line.Length >= 19 && IsDigit(line[0]) && line[4] == '-' && line[7] == '-' && line[10] is (byte)'T' or (byte)' ')
            return Iso(line);
        if (line.Length >= 15 && line[3] == ' ' && line[6] == ' ' && line[9] == ':' && line[12] == ':')
            return Bsd(line, reference);
        return null;
    }

    private static long? Iso(ReadOnlySpan<byte> line)
    {
        if (!Number(line[..4], out int year) || !Number(line.Slice(5, 2), out int month) || !Number(line.Slice(8, 2), out int day)
            || !Clock(line.Slice(11, 8), out int hour, out int minute, out int second))
            return null;
        TimeSpan offset = TimeSpan.Zero;
        int i = 19;
        if (i < line.Length && line[i] == '.')
        {
            i++;
            while (i < line.Length && IsDigit(line[i]))
                i++;
        }
        if (i < line.Length && line[i] is (byte)'+' or (byte)'-' && i + 6 <= line.Length && line[i + 3] == ':'
            && Number(line.Slice(i + 1, 2), out int oh) && Number(line.Slice(i + 4, 2), out int om) && oh < 24 && om < 60)
            offset = new TimeSpan(oh, om, 0) * (line[i] == '-' ? -1 : 1);
        return Build(year, month, day, hour, minute, second, offset);
    }

    private static long? Bsd(ReadOnlySpan<byte> line, DateTimeOffset reference)
    {
        int month = -1;
        for (int m = 0; m < Months.Length; m++)
        {
            if (line[0] == Months[m][0] && line[1] == Months[m][1] && line[2] == Months[m][2])
                month = m + 1;
        }
        ReadOnlySpan<byte> dayText = line[4] == ' ' ? line.Slice(5, 1) : line.Slice(4, 2);
        if (month < 0 || !Number(dayText, out int day) || !Clock(line.Slice(7, 8), out int hour, out int minute, out int second))
            return null;
        long? time = Build(reference.Year, month, day, hour, minute, second, reference.Offset);
        if (time is not null && time.Value > reference.ToUnixTimeSeconds() + 86400)
            time = Build(reference.Year - 1, month, day, hour, minute, second, reference.Offset);
        return time;
    }

    private static long? Build(int year, int month, int day, int hour, int minute, int second, TimeSpan offset)
    {
        if (year is < 1970 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 60)
            return null;
        return new DateTimeOffset(year, month, day, hour, minute, Math.Min(second, 59), offset).ToUnixTimeSeconds();
    }

    private static bool Clock(ReadOnlySpan<byte> text, out int hour, out int minute, out int second)
    {
        minute = second = 0;
        return Number(text[..2], out hour) && text[2] == ':' && Number(text.Slice(3, 2), out minute) && text[5] == ':' && Number(text.Slice(6, 2), out second);
    }

    private static bool Number(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        foreach (byte b in digits)
        {
            if (!IsDigit(b))
                return false;
        }
        return Utf8Parser.TryParse(digits, out value, out int used) && used == digits.Length;
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';
}
