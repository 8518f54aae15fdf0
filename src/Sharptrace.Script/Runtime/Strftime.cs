using System.Globalization;
using System.Text;

namespace Sharptrace.Script.Runtime;

/// <summary>C strftime for the conversions scripts use in time() (%H %M %S %Y %m %d %y %b %B %a %A %j %p %I %e %T %D %F %R %s %z %Z %n %t %%).</summary>
internal static class Strftime
{
    private static readonly string[] Days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    private static readonly string[] Months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    public static string Format(string format, DateTime time)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                builder.Append(format[i]);
                continue;
            }
            var c = format[++i];
            builder.Append(c switch
            {
                'H' => time.Hour.ToString("00", CultureInfo.InvariantCulture),
                'M' => time.Minute.ToString("00", CultureInfo.InvariantCulture),
                'S' => time.Second.ToString("00", CultureInfo.InvariantCulture),
                'Y' => time.Year.ToString(CultureInfo.InvariantCulture),
                'y' => (time.Year % 100).ToString("00", CultureInfo.InvariantCulture),
                'm' => time.Month.ToString("00", CultureInfo.InvariantCulture),
                'd' => time.Day.ToString("00", CultureInfo.InvariantCulture),
                'e' => time.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2),
                'j' => time.DayOfYear.ToString("000", CultureInfo.InvariantCulture),
                'b' or 'h' => Months[time.Month - 1][..3],
                'B' => Months[time.Month - 1],
                'a' => Days[(int)time.DayOfWeek][..3],
                'A' => Days[(int)time.DayOfWeek],
                'p' => time.Hour < 12 ? "AM" : "PM",
                'I' => ((time.Hour + 11) % 12 + 1).ToString("00", CultureInfo.InvariantCulture),
                'T' => Format("%H:%M:%S", time),
                'D' => Format("%m/%d/%y", time),
                'F' => Format("%Y-%m-%d", time),
                'R' => Format("%H:%M", time),
                's' => new DateTimeOffset(time).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                'z' => Offset(time),
                'Z' => TimeZoneInfo.Local.IsDaylightSavingTime(time) ? TimeZoneInfo.Local.DaylightName : TimeZoneInfo.Local.StandardName,
                'n' => "\n",
                't' => "\t",
                '%' => "%",
                _ => "%" + c,
            });
        }
        return builder.ToString();
    }

    private static string Offset(DateTime time)
    {
        var offset = TimeZoneInfo.Local.GetUtcOffset(time);
        return (offset < TimeSpan.Zero ? "-" : "+") + offset.ToString("hhmm", CultureInfo.InvariantCulture);
    }
}
