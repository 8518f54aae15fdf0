using System.Globalization;
using System.Text;
using Sharptrace.Script.Semantics;

namespace Sharptrace.Script.Runtime;

/// <summary>
/// C printf as bpftrace applies it to event arguments: flags (-+ #0), width, precision, length
/// modifiers (hh h l ll z j t) and the conversions d i u x X o c s p, and r (a buf()). Without 'l', integer
/// conversions see the low 32 bits, as C's varargs would.
/// </summary>
internal static class PrintfFormatter
{
    private readonly record struct Spec(string Flags, int? Width, int? Precision, string Length, char Conversion);

    /// <summary>Reports (argument index or -1, message) for a format that does not fit its arguments.</summary>
    public static void Check(string format, IReadOnlyList<ScriptType> arguments, Action<int, string> error)
    {
        var index = 0;
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%') continue;
            if (i + 1 < format.Length && format[i + 1] == '%')
            {
                i++;
                continue;
            }
            if (!TryParse(format, ref i, out var spec))
            {
                error(-1, $"printf: invalid format specifier at offset {i}");
                return;
            }
            if (index >= arguments.Count)
            {
                error(-1, $"printf: not enough arguments for the format string ({index + 1} needed, {arguments.Count} given)");
                return;
            }
            var type = arguments[index];
            if (spec.Conversion == 'r')
            {
                if (type.Kind != TypeKind.Buffer) error(index, $"printf: %r specifier expects a value of type buffer ({type} supplied)");
                index++;
                continue;
            }
            var wantsString = spec.Conversion == 's';
            if (wantsString && !(type.Kind is TypeKind.String or TypeKind.Probe or TypeKind.Username or TypeKind.Timestamp or TypeKind.Inet or TypeKind.Strerror or TypeKind.MacAddress or TypeKind.CgroupPath or TypeKind.Kstack or TypeKind.Ustack or TypeKind.Ksym or TypeKind.Usym or TypeKind.Tuple) && !type.IsInteger)
                error(index, $"printf: %s specifier expects a value of type string ({type} supplied)");
            if (!wantsString && !type.IsInteger)
                error(index, $"printf: %{spec.Conversion} specifier expects a value of type integer ({type} supplied)");
            index++;
        }
        if (index < arguments.Count) error(index, $"printf: too many arguments for the format string ({index} used, {arguments.Count} given)");
    }

    /// <summary>Formats with <paramref name="argument"/> giving each argument as a long or a string.</summary>
    public static string Format(string format, Func<int, object> argument)
    {
        var builder = new StringBuilder();
        var index = 0;
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c != '%')
            {
                builder.Append(c);
                continue;
            }
            if (i + 1 < format.Length && format[i + 1] == '%')
            {
                // bpftrace 0.17 leaves "%%" as it is in its output.
                builder.Append("%%");
                i++;
                continue;
            }
            var start = i;
            if (!TryParse(format, ref i, out var spec))
            {
                builder.Append(format, start, i - start + 1);
                continue;
            }
            builder.Append(FormatOne(spec, argument(index++)));
        }
        return builder.ToString();
    }

    private const int MaxField = 4096;

    private static int? ParseField(string format, int start, int end) =>
        int.TryParse(format.AsSpan(start, end - start), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= MaxField ? value : null;

    private static bool TryParse(string format, ref int i, out Spec spec)
    {
        spec = default;
        var j = i + 1;
        var flags = new StringBuilder();
        // bpftrace accepts only '-' (and a leading 0 in the width) as flags.
        while (j < format.Length && "-0".Contains(format[j])) flags.Append(format[j++]);
        int? width = null, precision = null;
        var w = j;
        while (j < format.Length && char.IsAsciiDigit(format[j])) j++;
        var tooBig = false;
        if (j > w) tooBig |= (width = ParseField(format, w, j)) is null;
        if (j < format.Length && format[j] == '.')
        {
            j++;
            var p = j;
            while (j < format.Length && char.IsAsciiDigit(format[j])) j++;
            precision = j > p ? ParseField(format, p, j) : 0;
            tooBig |= precision is null;
        }
        if (tooBig)
        {
            // A width or precision beyond MaxField is no format (the fuzzer found one that overflowed int).
            i = Math.Min(j, format.Length - 1);
            return false;
        }
        var l = j;
        while (j < format.Length && "hlzjt".Contains(format[j])) j++;
        var length = format[l..j];
        if (j >= format.Length || !"diuxXocspr".Contains(format[j]))
        {
            i = Math.Min(j, format.Length - 1);
            return false;
        }
        spec = new Spec(flags.ToString(), width, precision, length, format[j]);
        i = j;
        return true;
    }

    private static string FormatOne(Spec spec, object value)
    {
        string body;
        var negative = false;
        if (spec.Conversion is 's' or 'r')
        {
            body = value is string s ? s : ((long)value).ToString(CultureInfo.InvariantCulture);
            if (spec.Precision is { } p && body.Length > p) body = body[..p];
            return Pad(spec, body, "", false);
        }
        var raw = value is long number ? number : 0;
        var bits = spec.Length switch { "hh" => 8, "h" => 16, "" => 32, _ => 64 };
        if (spec.Conversion == 'p') bits = 64;
        var unsignedValue = bits == 64 ? (ulong)raw : (ulong)raw & ((1UL << bits) - 1);
        string prefix = "";
        switch (spec.Conversion)
        {
            case 'd' or 'i':
            {
                var signedValue = bits == 64 ? raw : (long)(unsignedValue << (64 - bits)) >> (64 - bits);
                negative = signedValue < 0;
                body = negative ? (signedValue == long.MinValue ? "9223372036854775808" : (-signedValue).ToString(CultureInfo.InvariantCulture)) : signedValue.ToString(CultureInfo.InvariantCulture);
                prefix = negative ? "-" : spec.Flags.Contains('+') ? "+" : spec.Flags.Contains(' ') ? " " : "";
                break;
            }
            case 'u': body = unsignedValue.ToString(CultureInfo.InvariantCulture); break;
            case 'x': body = unsignedValue.ToString("x", CultureInfo.InvariantCulture); if (spec.Flags.Contains('#') && unsignedValue != 0) prefix = "0x"; break;
            case 'X': body = unsignedValue.ToString("X", CultureInfo.InvariantCulture); if (spec.Flags.Contains('#') && unsignedValue != 0) prefix = "0X"; break;
            case 'o': body = Convert.ToString((long)unsignedValue, 8); if (spec.Flags.Contains('#') && unsignedValue != 0) body = "0" + body; break;
            case 'c': return Pad(spec, ((char)(byte)unsignedValue).ToString(), "", false);
            case 'p': body = unsignedValue.ToString("x", CultureInfo.InvariantCulture); prefix = "0x"; break;
            default: body = ""; break;
        }
        if (spec.Precision is { } precision)
        {
            if (precision == 0 && unsignedValue == 0 && spec.Conversion != 'p') body = "";
            body = body.PadLeft(precision, '0');
        }
        return Pad(spec, body, prefix, spec.Precision is null);
    }

    private static string Pad(Spec spec, string body, string prefix, bool zeroAllowed)
    {
        var width = spec.Width ?? 0;
        var length = prefix.Length + body.Length;
        if (length >= width) return prefix + body;
        if (spec.Flags.Contains('-')) return (prefix + body).PadRight(width);
        if (zeroAllowed && spec.Flags.Contains('0') && spec.Conversion != 's') return prefix + body.PadLeft(width - prefix.Length, '0');
        return (prefix + body).PadLeft(width);
    }
}
