namespace Sharptrace.Bpf.Btf;

/// <summary>
/// A view of one BTF type record inside its <see cref="BtfSpec"/>: a spec, an id and an offset, so
/// it costs nothing to make and decodes fields (and the name) only when they are read. Accessors
/// that do not apply to the kind throw <see cref="InvalidOperationException"/>.
/// </summary>
public readonly struct BtfType : IEquatable<BtfType>
{
    internal BtfType(BtfSpec spec, int id, int recordOffset)
    {
        Spec = spec;
        Id = id;
        RecordOffset = recordOffset;
    }

    /// <summary>The spec that defines this type.</summary>
    public BtfSpec Spec { get; }

    /// <summary>The type id (0 for void).</summary>
    public int Id { get; }

    /// <summary>Offset of the record in the raw blob, or -1 for void.</summary>
    internal int RecordOffset { get; }

    private uint Info => RecordOffset < 0 ? 0 : Spec.Word(RecordOffset + 4);

    private uint SizeOrType => RecordOffset < 0 ? 0 : Spec.Word(RecordOffset + 8);

    internal int TrailingOffset => RecordOffset + 12;

    /// <summary>The kind of the type.</summary>
    public BtfKind Kind => (BtfKind)((Info >> 24) & 0x1f);

    /// <summary>The kind_flag bit: bitfield encoding for struct/union, union for a forward, signedness for an enum.</summary>
    public bool KindFlag => (Info & 0x8000_0000) != 0;

    /// <summary>The vlen field: member, value, parameter or variable count (and linkage for a FUNC).</summary>
    public int Vlen => (int)(Info & 0xffff);

    /// <summary>The string offset of the name (0 when anonymous).</summary>
    public uint NameOffset => RecordOffset < 0 ? 0 : Spec.Word(RecordOffset);

    /// <summary>The name, decoded now ("" when anonymous, and for void).</summary>
    public string Name => Spec.GetString(NameOffset);

    /// <summary>True when the type has a name.</summary>
    public bool HasName => NameOffset != 0;

    internal ReadOnlySpan<byte> NameBytes => Spec.StringBytes(NameOffset);

    /// <summary>The byte size of an INT, STRUCT, UNION, ENUM, ENUM64, FLOAT or DATASEC.</summary>
    public uint Size => Kind is BtfKind.Int or BtfKind.Struct or BtfKind.Union or BtfKind.Enum or BtfKind.Enum64
        or BtfKind.Float or BtfKind.DataSec
        ? SizeOrType
        : throw WrongKind(nameof(Size));

    /// <summary>
    /// The type this one refers to: target of a PTR, TYPEDEF, qualifier or TYPE_TAG; the prototype of
    /// a FUNC; the return type of a FUNC_PROTO; the type of a VAR; the target of a DECL_TAG.
    /// </summary>
    public int ReferencedTypeId => Kind is BtfKind.Pointer or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const
        or BtfKind.Restrict or BtfKind.Func or BtfKind.FuncProto or BtfKind.Var or BtfKind.DeclTag or BtfKind.TypeTag
        ? (int)SizeOrType
        : throw WrongKind(nameof(ReferencedTypeId));

    /// <summary>The referenced type as a view (see <see cref="ReferencedTypeId"/>).</summary>
    public BtfType ReferencedType => Spec.TypeById(ReferencedTypeId);

    /// <summary>Signed, char and bool flags of an INT.</summary>
    public BtfIntEncoding IntEncoding => (BtfIntEncoding)((IntData >> 24) & 0x0f);

    /// <summary>Bit offset of the value inside an INT's storage (legacy bitfield encoding).</summary>
    public int IntBitOffset => (int)((IntData >> 16) & 0xff);

    /// <summary>Number of value bits of an INT.</summary>
    public int IntBits => (int)(IntData & 0xff);

    private uint IntData => Kind == BtfKind.Int ? Spec.Word(TrailingOffset) : throw WrongKind("Int*");

    /// <summary>The element type id of an ARRAY.</summary>
    public int ArrayElementTypeId => (int)Spec.Word(ArrayOffset);

    /// <summary>The index type id of an ARRAY.</summary>
    public int ArrayIndexTypeId => (int)Spec.Word(ArrayOffset + 4);

    /// <summary>The element count of an ARRAY.</summary>
    public uint ArrayLength => Spec.Word(ArrayOffset + 8);

    private int ArrayOffset => Kind == BtfKind.Array ? TrailingOffset : throw WrongKind("Array*");

    /// <summary>The members of a STRUCT or UNION.</summary>
    public BtfRecordList<BtfMember> Members => Kind is BtfKind.Struct or BtfKind.Union
        ? new(this, Vlen)
        : throw WrongKind(nameof(Members));

    /// <summary>The values of an ENUM or ENUM64.</summary>
    public BtfRecordList<BtfEnumValue> EnumValues => Kind is BtfKind.Enum or BtfKind.Enum64
        ? new(this, Vlen)
        : throw WrongKind(nameof(EnumValues));

    /// <summary>The parameters of a FUNC_PROTO (a trailing nameless void parameter means "...").</summary>
    public BtfRecordList<BtfParam> Params => Kind == BtfKind.FuncProto
        ? new(this, Vlen)
        : throw WrongKind(nameof(Params));

    /// <summary>The variables of a DATASEC.</summary>
    public BtfRecordList<BtfVarSecInfo> Variables => Kind == BtfKind.DataSec
        ? new(this, Vlen)
        : throw WrongKind(nameof(Variables));

    /// <summary>Linkage of a FUNC (from vlen) or VAR (from its trailing word).</summary>
    public BtfLinkage Linkage => Kind switch
    {
        BtfKind.Func => (BtfLinkage)Vlen,
        BtfKind.Var => (BtfLinkage)Spec.Word(TrailingOffset),
        _ => throw WrongKind(nameof(Linkage)),
    };

    /// <summary>Member or parameter index a DECL_TAG applies to, or -1 for the whole type.</summary>
    public int DeclTagComponentIndex => Kind == BtfKind.DeclTag
        ? (int)Spec.Word(TrailingOffset)
        : throw WrongKind(nameof(DeclTagComponentIndex));

    /// <summary>True for a forward declaration of a union (false: of a struct).</summary>
    public bool IsForwardUnion => Kind == BtfKind.Forward ? KindFlag : throw WrongKind(nameof(IsForwardUnion));

    /// <summary>The prototype of a FUNC.</summary>
    /// <exception cref="BtfFormatException">The FUNC does not point at a FUNC_PROTO.</exception>
    public BtfType FuncProto
    {
        get
        {
            if (Kind != BtfKind.Func)
                throw WrongKind(nameof(FuncProto));
            var proto = ReferencedType;
            return proto.Kind == BtfKind.FuncProto
                ? proto
                : throw Spec.Malformed($"func '{Name}' refers to {proto.Kind} [{proto.Id}], not a FUNC_PROTO", this);
        }
    }

    /// <summary>Looks up an enumerator of this ENUM or ENUM64 by name.</summary>
    public bool TryGetEnumValue(string name, out long value)
    {
        foreach (var enumerator in EnumValues)
        {
            if (enumerator.NameEquals(name))
            {
                value = enumerator.Value;
                return true;
            }
        }
        value = 0;
        return false;
    }

    /// <summary>The C spelling of the type, e.g. <c>struct task_struct *</c> or <c>int[16]</c>.</summary>
    public override string ToString() => Spec is null ? "(none)" : BtfTypePrinter.Format(this);

    /// <inheritdoc />
    public bool Equals(BtfType other) => ReferenceEquals(Spec, other.Spec) && Id == other.Id;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is BtfType other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Id;

    /// <summary>Same spec and id.</summary>
    public static bool operator ==(BtfType left, BtfType right) => left.Equals(right);

    /// <summary>Different spec or id.</summary>
    public static bool operator !=(BtfType left, BtfType right) => !left.Equals(right);

    private InvalidOperationException WrongKind(string accessor) =>
        new($"{accessor} does not apply to {Kind} type [{Id}]");
}
