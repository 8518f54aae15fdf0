namespace Sharptrace.Bpf.Btf;

/// <summary>A variable placed in a BTF DATASEC (struct btf_var_secinfo).</summary>
public readonly struct BtfVarSecInfo : IBtfRecord<BtfVarSecInfo>
{
    private readonly BtfSpec spec;

    private BtfVarSecInfo(BtfSpec spec, int typeId, uint offset, uint size)
    {
        this.spec = spec;
        TypeId = typeId;
        Offset = offset;
        Size = size;
    }

    /// <summary>The VAR (or FUNC, for ksym sections) type id.</summary>
    public int TypeId { get; }

    /// <summary>The variable type.</summary>
    public BtfType Type => spec.TypeById(TypeId);

    /// <summary>Byte offset inside the section.</summary>
    public uint Offset { get; }

    /// <summary>Byte size of the variable.</summary>
    public uint Size { get; }

    static int IBtfRecord<BtfVarSecInfo>.RecordSize(BtfKind kind) => 12;

    static BtfVarSecInfo IBtfRecord<BtfVarSecInfo>.Read(BtfType owner, int recordOffset)
    {
        var spec = owner.Spec;
        return new(spec, (int)spec.Word(recordOffset), spec.Word(recordOffset + 4), spec.Word(recordOffset + 8));
    }

    /// <inheritdoc />
    public override string ToString() => $"[{TypeId}] @{Offset}+{Size}";
}
