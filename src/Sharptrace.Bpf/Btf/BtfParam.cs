namespace Sharptrace.Bpf.Btf;

/// <summary>A parameter of a BTF FUNC_PROTO (struct btf_param).</summary>
public readonly struct BtfParam : IBtfRecord<BtfParam>
{
    private readonly BtfSpec spec;

    private BtfParam(BtfSpec spec, uint nameOffset, int typeId)
    {
        this.spec = spec;
        NameOffset = nameOffset;
        TypeId = typeId;
    }

    /// <summary>String offset of the name (0 when the prototype has no parameter names).</summary>
    public uint NameOffset { get; }

    /// <summary>The parameter name ("" when unnamed).</summary>
    public string Name => spec.GetString(NameOffset);

    /// <summary>The parameter's type id.</summary>
    public int TypeId { get; }

    /// <summary>The parameter's type.</summary>
    public BtfType Type => spec.TypeById(TypeId);

    /// <summary>True for the "..." marker: a nameless parameter of type void.</summary>
    public bool IsVariadic => TypeId == 0 && NameOffset == 0;

    static int IBtfRecord<BtfParam>.RecordSize(BtfKind kind) => 8;

    static BtfParam IBtfRecord<BtfParam>.Read(BtfType owner, int recordOffset) =>
        new(owner.Spec, owner.Spec.Word(recordOffset), (int)owner.Spec.Word(recordOffset + 4));

    /// <inheritdoc />
    public override string ToString() => IsVariadic ? "..." : $"{Name} [{TypeId}]";
}
