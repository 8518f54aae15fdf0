namespace Sharptrace.Tracing.TraceFs;

/// <summary>
/// One field of a trace event record, from a "field:TYPE NAME; offset:N; size:N; signed:N;" line
/// of an event's format file.
/// </summary>
/// <param name="Name">Field name, e.g. <c>filename</c>.</param>
/// <param name="Type">The C type without the name and array suffix, e.g. <c>const char *</c>, <c>char</c> for <c>char comm[16]</c>.</param>
/// <param name="Offset">Byte offset in the record.</param>
/// <param name="Size">Size in bytes (for arrays, of the whole array; for __data_loc, of the 4-byte locator).</param>
/// <param name="IsSigned">Whether integer values are signed.</param>
public sealed record EventField(string Name, string Type, int Offset, int Size, bool IsSigned)
{
    /// <summary>The array length for <c>type name[N]</c> fields; null for scalars; 0 for <c>[]</c> of a __data_loc.</summary>
    public int? ArrayLength { get; init; }

    /// <summary>
    /// A dynamic field (<c>__data_loc</c>): the 4-byte value holds the data's offset in the record
    /// (low 16 bits) and its length (high 16 bits).
    /// </summary>
    public bool IsDataLoc { get; init; }

    /// <summary>
    /// A <c>__rel_loc</c> field: like __data_loc but the offset is relative to the end of the field.
    /// </summary>
    public bool IsRelLoc { get; init; }

    /// <summary>The common_* fields every event starts with (type, flags, preempt count, pid).</summary>
    public bool IsCommon => Name.StartsWith("common_", StringComparison.Ordinal);

    /// <summary>Whether the field is text: a char array or a dynamic char[] string.</summary>
    public bool IsString => (Type is "char" or "unsigned char" or "const char") && (ArrayLength is not null || IsDataLoc || IsRelLoc);

    /// <summary>Whether the field is a pointer (its value is an address, shown in hex).</summary>
    public bool IsPointer => Type.EndsWith('*');

    /// <summary>Size of one element for arrays, else <see cref="Size"/>.</summary>
    public int ElementSize => ArrayLength is > 0 ? Size / ArrayLength.Value : Size;
}
