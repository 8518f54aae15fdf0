namespace Sharptrace.Script.Runtime;

/// <summary>uid → user name from /etc/passwd, read once when first needed (the username builtin).</summary>
internal static class UserNames
{
    private static Dictionary<ulong, string>? names;

    public static string Lookup(ulong uid)
    {
        names ??= Load();
        return names.TryGetValue(uid, out var name) ? name : uid.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Dictionary<ulong, string> Load()
    {
        var result = new Dictionary<ulong, string>();
        try
        {
            foreach (var line in File.ReadLines("/etc/passwd"))
            {
                var fields = line.Split(':');
                if (fields.Length > 2 && ulong.TryParse(fields[2], out var uid)) result.TryAdd(uid, fields[0]);
            }
        }
        catch (IOException) { }
        return result;
    }
}
