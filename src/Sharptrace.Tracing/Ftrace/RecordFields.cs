using System.Buffers.Binary;
using System.Text;
using Sharptrace.Tracing.TraceFs;

namespace Sharptrace.Tracing.Ftrace;

/// <summary>
/// Reads field values out of a raw record by its format: integers of 1/2/4/8 bytes (signed or not),
/// char arrays, <c>__data_loc</c>/<c>__rel_loc</c> strings and dynamic arrays. A field that does not fit
/// the record reads as 0 or empty (a truncated record is the kernel's to explain, not a crash).
/// </summary>
public static class RecordFields
{
    /// <summary>An integer of <paramref name="size"/> bytes at <paramref name="offset"/>, sign-extended when <paramref name="signed"/>.</summary>
    public static long ReadInteger(ReadOnlySpan<byte> record, int offset, int size, bool signed)
    {
        if (offset < 0 || offset + size > record.Length) return 0;
        var at = record[offset..];
        return size switch
        {
            1 => signed ? (sbyte)at[0] : at[0],
            2 => signed ? BinaryPrimitives.ReadInt16LittleEndian(at) : BinaryPrimitives.ReadUInt16LittleEndian(at),
            4 => signed ? BinaryPrimitives.ReadInt32LittleEndian(at) : BinaryPrimitives.ReadUInt32LittleEndian(at),
            8 => BinaryPrimitives.ReadInt64LittleEndian(at),
            _ => 0,
        };
    }

    /// <summary>A scalar field's value (an array's first element).</summary>
    public static long ReadInteger(ReadOnlySpan<byte> record, EventField field) =>
        ReadInteger(record, field.Offset, field.ElementSize, field.IsSigned);

    /// <summary>Element <paramref name="index"/> of an array field (fixed or dynamic).</summary>
    public static long ReadElement(ReadOnlySpan<byte> record, EventField field, long index)
    {
        var data = Bytes(record, field);
        var elementSize = ElementSizeOf(field);
        if (index < 0 || elementSize == 0 || (index + 1) * elementSize > data.Length) return 0;
        return ReadInteger(data, (int)index * elementSize, elementSize, field.IsSigned);
    }

    /// <summary>The bytes of a field: the array, the dynamic data of a __data_loc/__rel_loc, or the scalar.</summary>
    public static ReadOnlySpan<byte> Bytes(ReadOnlySpan<byte> record, EventField field)
    {
        if (field.IsDataLoc || field.IsRelLoc)
        {
            if (field.Offset + 4 > record.Length) return [];
            var locator = BinaryPrimitives.ReadUInt32LittleEndian(record[field.Offset..]);
            var offset = (int)(locator & 0xffff);
            var length = (int)(locator >> 16);
            if (field.IsRelLoc) offset += field.Offset + field.Size;
            if (offset + length > record.Length) return [];
            return record.Slice(offset, length);
        }
        if (field.Offset + field.Size > record.Length) return [];
        // A trailing flexible array (size 0, e.g. function's args[]) runs to the end of the record.
        if (field.Size == 0 && field.ArrayLength is not null) return record[field.Offset..];
        return record.Slice(field.Offset, field.Size);
    }

    /// <summary>A string field (char array or dynamic string), up to its first NUL.</summary>
    public static string ReadString(ReadOnlySpan<byte> record, EventField field)
    {
        var bytes = Bytes(record, field);
        var end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end >= 0 ? bytes[..end] : bytes);
    }

    /// <summary>Size of one element: of the declared type for dynamic arrays (their field size is the locator's).</summary>
    public static int ElementSizeOf(EventField field)
    {
        if (!field.IsDataLoc && !field.IsRelLoc) return field.ArrayLength is 0 ? SizeOfType(field.Type) : field.ElementSize;
        return SizeOfType(field.Type);
    }

    /// <summary>The size of a C scalar type as tracefs spells it (64-bit kernels).</summary>
    public static int SizeOfType(string type)
    {
        var t = type.Replace("const ", "", StringComparison.Ordinal).Replace("volatile ", "", StringComparison.Ordinal).Trim();
        if (t.EndsWith('*')) return 8;
        return t switch
        {
            "char" or "unsigned char" or "signed char" or "u8" or "s8" or "__u8" or "__s8" or "bool" or "_Bool" => 1,
            "short" or "unsigned short" or "u16" or "s16" or "__u16" or "__s16" or "short int" or "short unsigned int" => 2,
            "int" or "unsigned int" or "unsigned" or "u32" or "s32" or "__u32" or "__s32" or "pid_t" or "gfp_t" or "dev_t" => 4,
            _ => 8,
        };
    }

    /// <summary>Appends <c>name=value</c> for every own field: the format when the print fmt is not understood.</summary>
    public static void AppendFieldsText(StringBuilder output, ReadOnlySpan<byte> record, EventFormat format)
    {
        var first = true;
        foreach (var field in format.Fields)
        {
            if (field.IsCommon) continue;
            if (!first) output.Append(' ');
            first = false;
            output.Append(field.Name).Append('=');
            AppendValue(output, record, field);
        }
    }

    /// <summary>Appends one field's value as text: strings raw, pointers in hex, arrays in braces.</summary>
    public static void AppendValue(StringBuilder output, ReadOnlySpan<byte> record, EventField field)
    {
        if (field.IsString)
        {
            output.Append(ReadString(record, field));
            return;
        }
        if (field.ArrayLength is not null || field.IsDataLoc || field.IsRelLoc)
        {
            var size = ElementSizeOf(field);
            var data = Bytes(record, field);
            output.Append('{');
            for (var i = 0; size > 0 && (i + 1) * size <= data.Length; i++)
            {
                if (i > 0) output.Append(',');
                AppendInteger(output, ReadInteger(data, i * size, size, field.IsSigned), field, size);
            }
            output.Append('}');
            return;
        }
        AppendInteger(output, ReadInteger(record, field), field, field.Size);
    }

    private static void AppendInteger(StringBuilder output, long value, EventField field, int size)
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        if (field.IsPointer) output.Append("0x").Append(((ulong)value).ToString("x", c));
        else if (field.IsSigned || size < 8) output.Append(value.ToString(c));
        else output.Append(((ulong)value).ToString(c));
    }
}
