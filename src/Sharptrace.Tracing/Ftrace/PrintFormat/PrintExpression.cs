using System.Text;
using Sharptrace.Tracing.TraceFs;

namespace Sharptrace.Tracing.Ftrace.PrintFormat;

/// <summary>A node of a compiled print fmt argument (the C expressions after the format string).</summary>
public abstract class PrintExpression
{
    /// <summary>Evaluates the expression over one record.</summary>
    public abstract PrintValue Evaluate(ReadOnlySpan<byte> record, PrintContext context);
}

/// <summary>An integer or string literal.</summary>
internal sealed class ConstantExpression(PrintValue value) : PrintExpression
{
    public PrintValue Value { get; } = value;

    public override PrintValue Evaluate(ReadOnlySpan<byte> record, PrintContext context) => Value;
}

/// <summary><c>REC-&gt;field</c>: strings read as text, scalars as integers.</summary>
internal sealed class FieldExpression(EventField field) : PrintExpression
{
    public EventField Field { get; } = field;

    public override PrintValue Evaluate(ReadOnlySpan<byte> record, PrintContext context) =>
        Field.IsString ? PrintValue.Of(RecordFields.ReadString(record, Field)) : PrintValue.Of(RecordFields.ReadInteger(record, Field));
}

/// <summary><c>REC-&gt;array[i]</c>.</summary>
internal sealed class IndexExpression(EventField field, PrintExpression index) : PrintExpression
{
    public override PrintValue Evaluate(ReadOnlySpan<byte> record, PrintContext context) =>
        PrintValue.Of(RecordFields.ReadElement(record, field, index.Evaluate(record, context).Integer));
}

/// <summary><c>__get_str(field)</c>.</summary>
internal sealed class StringFieldExpression(EventField field) : PrintExpression
{
    public override PrintValue Evaluate(ReadOnlySpan<byte> record, PrintContext context) =>
        PrintValue.Of(RecordFields.ReadString(record, field));
}

/// <summary><c>__get_dynamic_array_len(field)</c>: bytes of a dynamic field.</summary>
internal sealed class DynamicLengthExpression(EventField field) : PrintExpression
{
    public override PrintValue Evaluate(ReadOnlySpan<byte> record, PrintContext context) =>
        PrintValue.Of(RecordFields.Bytes(record, field).Length);
}

/// <summary><c>__print_hex(field, len)</c> and arrays printed whole: hex bytes separated by spaces.</summary>
internal sealed class HexBytesExpression(EventField field, PrintExpression? length) : PrintExpression
{
    public override PrintValue Evaluate(ReadOnlySpan<byte> record, PrintContext context)
    {
        var bytes = RecordFields.Bytes(record, field);
        if (length is not null) bytes = bytes[..(int)Math.Clamp(length.Evaluate(record, context).Integer, 0, bytes.Length)];
        var text = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (text.Length > 0) text.Append(' ');
            text.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return PrintValue.Of(text.ToString());
    }
}

/// <summary><c>__print_array(field, count, elsize)</c>: <c>{0x1,0x2}</c> like the kernel.</summary>
internal sealed class ArrayExpression(EventField field) : PrintExpression
{
    public override PrintValue Evaluate(ReadOnlySpan<byte> record, PrintContext context)
    {
        var size = RecordFields.ElementSizeOf(field);
        var data = RecordFields.Bytes(record, field);
        var text = new StringBuilder("{");
        for (var i = 0; size > 0 && (i + 1) * size <= data.Length; i++)
        {
            if (i > 0) text.Append(',');
            text.Append("0x").Append(((ulong)RecordFields.ReadInteger(data, i * size, size, false)).ToString("x", System.Globalization.CultureInfo.InvariantCulture));
        }
        return PrintValue.Of(text.Append('}').ToString());
    }
}

/// <summary>A C cast to an integer type: truncates and sign-extends; pointer casts keep 64 bits.</summary>
internal sealed class CastExpression(PrintExpression operand, int size, bool signed) : PrintExpression
{
    public override PrintValue Evaluate(ReadOnlySpan<byte> record, PrintContext context)
    {
        var value = operand.Evaluate(record, context);
        if (value.IsText) return value;
        return PrintValue.Of(Truncate(value.Integer, size, signed));
    }

    internal static long Truncate(long value, int size, bool signed) => size switch
    {
        1 => signed ? (sbyte)value : (byte)value,
        2 => signed ? (short)value : (ushort)value,
        4 => signed ? (int)value : (uint)value,
        _ => value,
    };
}

/// <summary>Unary -, !, ~.</summary>
internal sealed class UnaryExpression(char op, PrintExpression operand) : PrintExpression
{
    public override PrintValue Evaluate(ReadOnlySpan<byte> record, PrintContext context)
    {
        var v = operand.Evaluate(record, context);
        return op switch
        {
            '-' => PrintValue.Of(-v.Integer),
            '!' => PrintValue.Of(v.IsTrue ? 0 : 1),
            _ => PrintValue.Of(~v.Integer),
        };
    }
}

/// <summary>Binary arithmetic, bitwise, comparison and logical operators (unsigned, as the kernel's fields mostly are).</summary>
internal sealed class BinaryExpression(string op, PrintExpression left, PrintExpression right) : PrintExpression
{
    public override PrintValue Evaluate(ReadOnlySpan<byte> record, PrintContext context)
    {
        var a = left.Evaluate(record, context);
        if (op == "&&") return PrintValue.Of(a.IsTrue && right.Evaluate(record, context).IsTrue ? 1 : 0);
        if (op == "||") return PrintValue.Of(a.IsTrue || right.Evaluate(record, context).IsTrue ? 1 : 0);
        var x = a.Integer;
        var y = right.Evaluate(record, context).Integer;
        return PrintValue.Of(op switch
        {
            "+" => x + y,
            "-" => x - y,
            "*" => x * y,
            "/" => y == 0 ? 0 : x / y,
            "%" => y == 0 ? 0 : x % y,
            "&" => x & y,
            "|" => x | y,
            "^" => x ^ y,
            "<<" => x << (int)(y & 63),
            ">>" => (long)((ulong)x >> (int)(y & 63)),
            "==" => x == y ? 1 : 0,
            "!=" => x != y ? 1 : 0,
            "<" => x < y ? 1 : 0,
            ">" => x > y ? 1 : 0,
            "<=" => x <= y ? 1 : 0,
            ">=" => x >= y ? 1 : 0,
            _ => 0,
        });
    }
}

/// <summary><c>a ? b : c</c>.</summary>
internal sealed class ConditionalExpression(PrintExpression condition, PrintExpression whenTrue, PrintExpression whenFalse) : PrintExpression
{
    public override PrintValue Evaluate(ReadOnlySpan<byte> record, PrintContext context) =>
        condition.Evaluate(record, context).IsTrue ? whenTrue.Evaluate(record, context) : whenFalse.Evaluate(record, context);
}

/// <summary><c>__print_flags(value, "|", { 1, "S" }, …)</c> and <c>__print_symbolic(value, { 1, "A" }, …)</c>.</summary>
internal sealed class FlagsExpression(PrintExpression value, string? delimiter, IReadOnlyList<(long Value, string Name)> table) : PrintExpression
{
    public override PrintValue Evaluate(ReadOnlySpan<byte> record, PrintContext context)
    {
        var v = value.Evaluate(record, context).Integer;
        if (delimiter is null)
        {
            foreach (var (key, name) in table)
                if (key == v) return PrintValue.Of(name);
            return PrintValue.Of("0x" + ((ulong)v).ToString("x", System.Globalization.CultureInfo.InvariantCulture));
        }
        var text = new StringBuilder();
        foreach (var (key, name) in table)
        {
            // A zero entry only matches a zero value, as in the kernel's trace_print_flags_seq.
            if (key == 0 ? v != 0 : (v & key) != key) continue;
            if (text.Length > 0) text.Append(delimiter);
            text.Append(name);
            v &= ~key;
            if (key == 0) break;
        }
        if (v != 0)
        {
            if (text.Length > 0) text.Append(delimiter);
            text.Append("0x").Append(((ulong)v).ToString("x", System.Globalization.CultureInfo.InvariantCulture));
        }
        return PrintValue.Of(text.ToString());
    }
}

/// <summary>
/// A bitmap field (cpumasks, nodemasks) as the kernel's <c>%*pb</c> prints it (32-bit hex chunks,
/// most significant first, comma-separated) or <c>%*pbl</c> (ranges: <c>0-3,8</c>). The bit count
/// comes from the <c>*</c> argument, or for <c>__get_bitmask</c> from the field's length.
/// </summary>
internal sealed class BitmapExpression(EventField field, PrintExpression? bitCount, bool asList) : PrintExpression
{
    public override PrintValue Evaluate(ReadOnlySpan<byte> record, PrintContext context)
    {
        var bytes = RecordFields.Bytes(record, field);
        var bits = (int)Math.Clamp(bitCount?.Evaluate(record, context).Integer ?? bytes.Length * 8L, 0, bytes.Length * 8L);
        return PrintValue.Of(asList ? List(bytes, bits) : Hex(bytes, bits));
    }

    // Little-endian words: bit i of the bitmap is bit i % 8 of byte i / 8.
    private static bool Bit(ReadOnlySpan<byte> bytes, int i) => (bytes[i >> 3] >> (i & 7) & 1) != 0;

    private static string Hex(ReadOnlySpan<byte> bytes, int bits)
    {
        var text = new StringBuilder();
        var chunk = bits % 32 == 0 ? 32 : bits % 32;
        for (var start = (bits + 31) / 32 * 32 - 32; start >= 0; start -= 32)
        {
            ulong value = 0;
            for (var b = 0; b < chunk; b++)
                if (Bit(bytes, start + b)) value |= 1UL << b;
            if (text.Length > 0) text.Append(',');
            text.Append(value.ToString("x", System.Globalization.CultureInfo.InvariantCulture).PadLeft((chunk + 3) / 4, '0'));
            chunk = 32;
        }
        return text.ToString();
    }

    private static string List(ReadOnlySpan<byte> bytes, int bits)
    {
        var text = new StringBuilder();
        for (var i = 0; i < bits; i++)
        {
            if (!Bit(bytes, i)) continue;
            var end = i;
            while (end + 1 < bits && Bit(bytes, end + 1)) end++;
            if (text.Length > 0) text.Append(',');
            text.Append(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (end > i) text.Append('-').Append(end.ToString(System.Globalization.CultureInfo.InvariantCulture));
            i = end;
        }
        return text.ToString();
    }
}
