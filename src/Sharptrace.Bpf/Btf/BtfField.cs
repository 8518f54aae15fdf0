namespace Sharptrace.Bpf.Btf;

/// <summary>
/// Where a (possibly nested) member lives relative to the start of the struct or union it was
/// looked up in, with the offsets of anonymous members on the way already added.
/// </summary>
/// <param name="Type">The member's type (unresolved: typedefs and qualifiers kept).</param>
/// <param name="BitOffset">Offset from the start of the outer type, in bits.</param>
/// <param name="BitfieldSize">Bitfield width in bits, or 0 for an ordinary member.</param>
public readonly record struct BtfField(BtfType Type, long BitOffset, int BitfieldSize)
{
    /// <summary>Offset in whole bytes (the byte holding the first bit, for a bitfield).</summary>
    public long ByteOffset => BitOffset / 8;

    /// <summary>True for a bitfield member.</summary>
    public bool IsBitfield => BitfieldSize != 0;
}
