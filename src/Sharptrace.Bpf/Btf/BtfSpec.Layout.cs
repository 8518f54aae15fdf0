using System.Buffers;
using System.Text;

namespace Sharptrace.Bpf.Btf;

// Type resolution, sizes and member offsets: the questions a compiler asks of BTF.
public sealed partial class BtfSpec
{
    /// <summary>Follows typedefs, const/volatile/restrict and type tags to the underlying type.</summary>
    /// <exception cref="BtfFormatException">The chain loops or is deeper than any real type.</exception>
    public BtfType Resolve(int id) => Skip(TypeById(id), skipTypedefs: true);

    /// <summary>Follows const/volatile/restrict and type tags, but stops at typedefs.</summary>
    public BtfType SkipQualifiers(int id) => Skip(TypeById(id), skipTypedefs: false);

    private static BtfType Skip(BtfType type, bool skipTypedefs)
    {
        var start = type;
        for (var depth = 0; ; depth++)
        {
            var kind = type.Kind;
            if (!(kind is BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict or BtfKind.TypeTag
                  || (skipTypedefs && kind == BtfKind.Typedef)))
                return type;
            if (depth == MaxChainDepth)
                throw start.Spec.Malformed($"type [{start.Id}] refers through a cycle or more than {MaxChainDepth} typedefs/qualifiers", start);
            type = type.ReferencedType;
        }
    }

    /// <summary>
    /// The byte size of a type, as C's sizeof: through typedefs and qualifiers, pointers are
    /// <see cref="PointerSize"/>, arrays multiply out, a VAR has its type's size.
    /// </summary>
    /// <exception cref="InvalidOperationException">The type has no size (void, forward declaration, function).</exception>
    /// <exception cref="BtfFormatException">A reference loop, or a size that overflows.</exception>
    public long SizeOf(int id) => SizeOf(TypeById(id), 0);

    private long SizeOf(BtfType type, int depth)
    {
        if (depth > MaxChainDepth)
            throw type.Spec.Malformed($"type [{type.Id}] is nested through a cycle or too deeply to size", type);
        type = Skip(type, skipTypedefs: true);
        switch (type.Kind)
        {
            case BtfKind.Int or BtfKind.Struct or BtfKind.Union or BtfKind.Enum or BtfKind.Enum64 or BtfKind.Float or BtfKind.DataSec:
                return type.Size;
            case BtfKind.Pointer:
                return PointerSize;
            case BtfKind.Var:
                return SizeOf(type.ReferencedType, depth + 1);
            case BtfKind.Array:
                var element = SizeOf(type.Spec.TypeById(type.ArrayElementTypeId), depth + 1);
                var high = Math.BigMul((ulong)element, type.ArrayLength, out var total);
                return high == 0 && total <= long.MaxValue
                    ? (long)total
                    : throw type.Spec.Malformed($"array [{type.Id}] of {type.ArrayLength} x {element} bytes overflows", type);
            default:
                throw new InvalidOperationException($"{type.Kind} type [{type.Id}] '{type.Name}' has no size");
        }
    }

    /// <summary>
    /// Finds a member of a struct or union by name or by dotted path (<c>se.vruntime</c>), looking
    /// inside anonymous struct and union members as C does. The type may be given through typedefs
    /// and qualifiers. False when a name is missing or a path step is not a struct or union.
    /// </summary>
    /// <exception cref="BtfFormatException">Anonymous members nest through a cycle.</exception>
    public bool TryFindMember(int typeId, string path, out BtfField field)
    {
        ArgumentNullException.ThrowIfNull(path);
        field = default;
        var current = TypeById(typeId);
        long bitOffset = 0;
        var maxBytes = Encoding.UTF8.GetMaxByteCount(path.Length);
        byte[]? rented = null;
        var buffer = maxBytes <= StackNameLimit ? stackalloc byte[StackNameLimit] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            foreach (var range in path.AsSpan().Split('.'))
            {
                var written = Encoding.UTF8.GetBytes(path.AsSpan(range), buffer);
                var container = Skip(current, skipTypedefs: true);
                if (written == 0 || container.Kind is not (BtfKind.Struct or BtfKind.Union)
                    || !TryFindDirectMember(container, buffer[..written], 0, out var found))
                    return false;
                bitOffset += found.BitOffset;
                current = found.Type;
                field = found with { BitOffset = bitOffset };
            }
            return true;
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>As <see cref="TryFindMember"/>, throwing when the member is missing.</summary>
    /// <exception cref="KeyNotFoundException">No such member.</exception>
    public BtfField FindMember(int typeId, string path) =>
        TryFindMember(typeId, path, out var field)
            ? field
            : throw new KeyNotFoundException($"{FormatType(typeId)} has no member '{path}'");

    private static bool TryFindDirectMember(BtfType container, ReadOnlySpan<byte> name, int depth, out BtfField field)
    {
        if (depth > MaxChainDepth)
            throw container.Spec.Malformed($"anonymous members of [{container.Id}] nest through a cycle", container);
        var spec = container.Spec;
        foreach (var member in container.Members)
        {
            if (member.HasName)
            {
                if (member.NameBytes.SequenceEqual(name))
                {
                    field = new BtfField(member.Type, member.BitOffset, member.BitfieldSize);
                    return true;
                }
                continue;
            }
            var inner = Skip(member.Type, skipTypedefs: true);
            if (inner.Kind is BtfKind.Struct or BtfKind.Union && TryFindDirectMember(inner, name, depth + 1, out var nested))
            {
                field = nested with { BitOffset = nested.BitOffset + member.BitOffset };
                return true;
            }
        }
        field = default;
        return false;
    }

    /// <summary>
    /// The C spelling of a type (<c>struct task_struct *</c>, <c>const char *</c>, <c>int[16]</c>,
    /// <c>int (*)(void *)</c>), optionally as a declaration of <paramref name="name"/>.
    /// </summary>
    public string FormatType(int id, string? name = null) => BtfTypePrinter.Format(TypeById(id), name ?? "");
}
