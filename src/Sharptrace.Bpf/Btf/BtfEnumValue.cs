namespace Sharptrace.Bpf.Btf;

/// <summary>An enumerator of a BTF ENUM (struct btf_enum) or ENUM64 (struct btf_enum64).</summary>
public readonly struct BtfEnumValue : IBtfRecord<BtfEnumValue>
{
    private readonly BtfSpec spec;

    private BtfEnumValue(BtfSpec spec, uint nameOffset, long value)
    {
        this.spec = spec;
        NameOffset = nameOffset;
        Value = value;
    }

    /// <summary>String offset of the name.</summary>
    public uint NameOffset { get; }

    /// <summary>The enumerator name.</summary>
    public string Name => spec.GetString(NameOffset);

    /// <summary>
    /// The value: sign-extended for signed 32-bit enums, zero-extended for unsigned ones. For an
    /// unsigned ENUM64 above <see cref="long.MaxValue"/> cast to <see cref="ulong"/>.
    /// </summary>
    public long Value { get; }

    /// <summary>True when the enumerator is called <paramref name="name"/>.</summary>
    public bool NameEquals(ReadOnlySpan<char> name) => BtfNames.Equal(spec.StringBytes(NameOffset), name);

    static int IBtfRecord<BtfEnumValue>.RecordSize(BtfKind kind) => kind == BtfKind.Enum64 ? 12 : 8;

    static BtfEnumValue IBtfRecord<BtfEnumValue>.Read(BtfType owner, int recordOffset)
    {
        var spec = owner.Spec;
        var name = spec.Word(recordOffset);
        var low = spec.Word(recordOffset + 4);
        if (owner.Kind == BtfKind.Enum64)
            return new BtfEnumValue(spec, name, (long)(((ulong)spec.Word(recordOffset + 8) << 32) | low));
        var signed = owner.KindFlag; // btf.rst: kind_flag 1 = signed, 0 = unsigned
        return new BtfEnumValue(spec, name, signed ? (int)low : low);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} = {Value}";
}
