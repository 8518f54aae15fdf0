using System.Globalization;
using System.Text;

namespace Sharptrace.Tracing.Ftrace.PrintFormat;

/// <summary>
/// One piece of a C format string: literal text, or a conversion (<c>%-08lx</c>) with its flags, width,
/// precision, length and conversion letter; kernel <c>%p</c> extensions keep their suffix (<c>%ps</c>).
/// A <c>*</c> width or precision comes from the argument before the value, as in C.
/// </summary>
public sealed record FormatSpec(string Literal, char Conversion = '\0', string Flags = "", int Width = -1, int Precision = -1, string Length = "", string PointerKind = "",
    bool WidthFromArgument = false, bool PrecisionFromArgument = false)
{
    /// <summary>Whether this is a conversion that consumes an argument.</summary>
    public bool TakesArgument => Conversion != '\0';

    /// <summary>How many arguments the conversion consumes: the value and each <c>*</c>.</summary>
    public int ArgumentCount => TakesArgument ? 1 + (WidthFromArgument ? 1 : 0) + (PrecisionFromArgument ? 1 : 0) : 0;

    /// <summary>This conversion with its <c>*</c> width and precision replaced by the values the arguments gave.</summary>
    public FormatSpec WithStars(long? width, long? precision)
    {
        var spec = this with { WidthFromArgument = false, PrecisionFromArgument = false };
        // C: a negative width is the '-' flag with its magnitude; a negative precision is no precision.
        if (width is long w) spec = spec with { Width = (int)Math.Min(Math.Abs(w), 4096), Flags = w < 0 && !Flags.Contains('-') ? Flags + "-" : Flags };
        if (precision is long p) spec = spec with { Precision = p < 0 ? -1 : (int)Math.Min(p, 4096) };
        return spec;
    }

    /// <summary>Splits a format string into literals and conversions.</summary>
    public static List<FormatSpec> ParseAll(string format)
    {
        var specs = new List<FormatSpec>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < format.Length)
        {
            var c = format[i];
            if (c != '%') { literal.Append(c); i++; continue; }
            if (i + 1 < format.Length && format[i + 1] == '%') { literal.Append('%'); i += 2; continue; }
            if (literal.Length > 0) { specs.Add(new FormatSpec(literal.ToString())); literal.Clear(); }
            i++;
            var flagsStart = i;
            while (i < format.Length && "-+ #0".Contains(format[i])) i++;
            var flags = format[flagsStart..i];
            var width = ReadNumber(format, ref i);
            var precision = -1;
            if (i < format.Length && format[i] == '.') { i++; precision = ReadNumber(format, ref i); if (precision == -1) precision = 0; }
            var lengthStart = i;
            while (i < format.Length && "hlLqjzt".Contains(format[i])) i++;
            var length = format[lengthStart..i];
            if (i >= format.Length) throw new PrintFormatException("format string ends inside a conversion");
            var conversion = format[i++];
            if (!"diouxXcspn".Contains(conversion)) throw new PrintFormatException($"unknown conversion '%{conversion}'");
            var pointerKind = "";
            if (conversion == 'p')
            {
                var kindStart = i;
                while (i < format.Length && char.IsAsciiLetterOrDigit(format[i])) i++;
                pointerKind = format[kindStart..i];
            }
            specs.Add(new FormatSpec("", conversion, flags, Math.Max(width, -1), Math.Max(precision, -1), length, pointerKind, width == -2, precision == -2));
        }
        if (literal.Length > 0) specs.Add(new FormatSpec(literal.ToString()));
        return specs;
    }

    private static int ReadNumber(string format, ref int i)
    {
        if (i < format.Length && format[i] == '*') { i++; return -2; }
        var start = i;
        while (i < format.Length && char.IsAsciiDigit(format[i])) i++;
        return i == start ? -1 : int.Parse(format.AsSpan(start, i - start), CultureInfo.InvariantCulture);
    }

    /// <summary>Appends <paramref name="value"/> converted as this spec says (C printf semantics).</summary>
    public void Append(StringBuilder output, PrintValue value, PrintContext context)
    {
        string body;
        var numeric = true;
        switch (Conversion)
        {
            case 's':
                body = value.Text ?? value.Integer.ToString(CultureInfo.InvariantCulture);
                if (Precision >= 0 && body.Length > Precision) body = body[..Precision];
                numeric = false;
                break;
            case 'c':
                body = value.IsText ? value.Text! : ((char)(byte)value.Integer).ToString();
                numeric = false;
                break;
            case 'p':
                body = Pointer((ulong)value.Integer, context);
                numeric = PointerKind.Length == 0;
                break;
            default:
                if (value.IsText) { body = value.Text!; numeric = false; break; }
                body = Integer(value.Integer);
                break;
        }
        Pad(output, body, numeric);
    }

    private string Integer(long raw)
    {
        var c = CultureInfo.InvariantCulture;
        var size = Length switch { "hh" => 1, "h" => 2, "" => 4, _ => 8 };
        var signed = Conversion is 'd' or 'i';
        var value = CastExpression.Truncate(raw, size, signed);
        string digits = Conversion switch
        {
            'x' => ((ulong)value).ToString("x", c),
            'X' => ((ulong)value).ToString("X", c),
            'o' => Convert.ToString(value, 8),
            'u' => ((ulong)value).ToString(c),
            _ => Math.Abs(value).ToString(c),
        };
        if (signed && value == long.MinValue) digits = "9223372036854775808";
        if (Precision >= 0 && digits.Length < Precision) digits = new string('0', Precision - digits.Length) + digits;
        var sign = signed && value < 0 ? "-" : signed && Flags.Contains('+') ? "+" : signed && Flags.Contains(' ') ? " " : "";
        var prefix = Flags.Contains('#') && value != 0 ? Conversion switch { 'x' => "0x", 'X' => "0X", 'o' => "0", _ => "" } : "";
        return sign + prefix + digits;
    }

    private string Pointer(ulong address, PrintContext context)
    {
        var c = CultureInfo.InvariantCulture;
        if (PointerKind.Length > 0 && PointerKind[0] is 's' or 'S' or 'B' or 'F' or 'f')
        {
            if (context.Symbolize?.Invoke(address) is { } symbol)
                return PointerKind[0] == 's' || PointerKind[0] == 'f' || symbol.Offset == 0 ? symbol.Name : $"{symbol.Name}+0x{symbol.Offset.ToString("x", c)}";
            return "0x" + address.ToString("x", c);
        }
        return "0x" + address.ToString("x", c);
    }

    private void Pad(StringBuilder output, string body, bool numeric)
    {
        if (Width <= body.Length) { output.Append(body); return; }
        var fill = Width - body.Length;
        if (Flags.Contains('-')) { output.Append(body).Append(' ', fill); return; }
        if (numeric && Flags.Contains('0') && Precision < 0)
        {
            // Zeros go after the sign and 0x prefix.
            var signLength = body.Length > 0 && body[0] is '-' or '+' or ' ' ? 1 : 0;
            if (body.Length > signLength + 1 && body[signLength] == '0' && body[signLength + 1] is 'x' or 'X') signLength += 2;
            output.Append(body, 0, signLength).Append('0', fill).Append(body, signLength, body.Length - signLength);
            return;
        }
        output.Append(' ', fill).Append(body);
    }
}
