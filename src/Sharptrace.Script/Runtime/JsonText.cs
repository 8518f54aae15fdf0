using System.Text;

namespace Sharptrace.Script.Runtime;

/// <summary>JSON string escaping exactly as bpftrace's JsonOutput::json_escape does it (no reflection, no serializer).</summary>
internal static class JsonText
{
    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (c < 0x20) builder.Append($"\\u{(int)c:x4}");
                    else builder.Append(c);
                    break;
            }
        }
        return builder.ToString();
    }

    public static string Quote(string text) => "\"" + Escape(text) + "\"";
}
