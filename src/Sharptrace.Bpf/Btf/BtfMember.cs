namespace Sharptrace.Bpf.Btf;

/// <summary>A member of a BTF struct or union (struct btf_member).</summary>
public readonly struct BtfMember : IBtfRecord<BtfMember>
{
    private readonly BtfSpec spec;

    private BtfMember(BtfSpec spec, uint nameOffset, int typeId, uint bitOffset, int bitfieldSize)
    {
        this.spec = spec;
        NameOffset = nameOffset;
        TypeId = typeId;
        BitOffset = bitOffset;
        BitfieldSize = bitfieldSize;
    }

    /// <summary>String offset of the name; 0 for an anonymous struct/union member.</summary>
    public uint NameOffset { get; }

    /// <summary>The member name ("" when anonymous).</summary>
    public string Name => spec.GetString(NameOffset);

    /// <summary>The member's type id.</summary>
    public int TypeId { get; }

    /// <summary>The member's type.</summary>
    public BtfType Type => spec.TypeById(TypeId);

    /// <summary>Offset from the start of the enclosing struct/union, in bits.</summary>
    public uint BitOffset { get; }

    /// <summary>Bitfield width in bits, or 0 when the member is not a bitfield.</summary>
    public int BitfieldSize { get; }

    /// <summary>True when the member has a name.</summary>
    public bool HasName => NameOffset != 0;

    /// <summary>True when the member is called <paramref name="name"/>.</summary>
    public bool NameEquals(ReadOnlySpan<char> name) => BtfNames.Equal(NameBytes, name);

    internal ReadOnlySpan<byte> NameBytes => spec.StringBytes(NameOffset);

    static int IBtfRecord<BtfMember>.RecordSize(BtfKind kind) => 12;

    static BtfMember IBtfRecord<BtfMember>.Read(BtfType owner, int recordOffset)
    {
        var spec = owner.Spec;
        var offset = spec.Word(recordOffset + 8);
        // With kind_flag set the offset word packs the bitfield size into its top byte.
        return owner.KindFlag
            ? new BtfMember(spec, spec.Word(recordOffset), (int)spec.Word(recordOffset + 4), offset & 0xff_ffff, (int)(offset >> 24))
            : new BtfMember(spec, spec.Word(recordOffset), (int)spec.Word(recordOffset + 4), offset, 0);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} @{BitOffset}{(BitfieldSize != 0 ? $":{BitfieldSize}" : "")} [{TypeId}]";
}
