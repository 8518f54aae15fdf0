using System.Buffers;
using System.Text;

namespace Sharptrace.Bpf.Btf;

// Lookups by name: types through a lazily built hash index, enumerators by a scan.
public sealed partial class BtfSpec
{
    private const int StackNameLimit = 256;

    /// <summary>Finds the first type (lowest id) called <paramref name="name"/> of the given kind, in the base spec first.</summary>
    public bool TryFindType(string name, BtfKind kind, out BtfType type) => TryFindTypeCore(name, kind, out type);

    /// <summary>Finds the first type (lowest id) called <paramref name="name"/> of any kind, in the base spec first.</summary>
    public bool TryFindType(string name, out BtfType type) => TryFindTypeCore(name, null, out type);

    /// <summary>The first type called <paramref name="name"/> of the given kind.</summary>
    /// <exception cref="KeyNotFoundException">No such type.</exception>
    public BtfType FindType(string name, BtfKind kind) =>
        TryFindType(name, kind, out var type)
            ? type
            : throw new KeyNotFoundException($"no BTF {KindWord(kind)} named '{name}'");

    /// <summary>Every type called <paramref name="name"/>, of any kind, in id order.</summary>
    public IReadOnlyList<BtfType> FindTypes(string name)
    {
        var ids = new List<int>();
        WithUtf8(name, ids, (spec, utf8, found) => spec.CollectByName(utf8, null, found, firstOnly: false));
        return ids.ConvertAll(TypeById);
    }

    /// <summary>The FUNC called <paramref name="name"/> (its prototype is <see cref="BtfType.FuncProto"/>).</summary>
    /// <exception cref="KeyNotFoundException">No such function.</exception>
    public BtfType FindFunction(string name) => FindType(name, BtfKind.Func);

    /// <summary>
    /// Finds an enumerator by name in any ENUM or ENUM64 (e.g. <c>BPF_MAP_TYPE_RINGBUF</c>),
    /// giving its value and the enum that declares it.
    /// </summary>
    public bool TryFindEnumValue(string enumeratorName, out long value, out BtfType enumType)
    {
        for (var id = 1; id < TypeCount; id++)
        {
            var type = TypeById(id);
            if (type.Kind is BtfKind.Enum or BtfKind.Enum64 && type.TryGetEnumValue(enumeratorName, out value))
            {
                enumType = type;
                return true;
            }
        }
        value = 0;
        enumType = default;
        return false;
    }

    private bool TryFindTypeCore(string name, BtfKind? kind, out BtfType type)
    {
        ArgumentNullException.ThrowIfNull(name);
        var ids = new List<int>(1);
        WithUtf8(name, ids, (spec, utf8, found) => spec.CollectByName(utf8, kind, found, firstOnly: true));
        type = ids.Count > 0 ? TypeById(ids[0]) : default;
        return ids.Count > 0;
    }

    private void CollectByName(ReadOnlySpan<byte> utf8, BtfKind? kind, List<int> found, bool firstOnly)
    {
        Base?.CollectByName(utf8, kind, found, firstOnly);
        if (firstOnly && found.Count > 0)
            return;
        nameIndex ??= new BtfNameIndex(this);
        nameIndex.Find(utf8, kind, found, firstOnly);
    }

    private delegate void Utf8Action(BtfSpec spec, ReadOnlySpan<byte> utf8, List<int> found);

    private void WithUtf8(string name, List<int> found, Utf8Action action)
    {
        var length = Encoding.UTF8.GetMaxByteCount(name.Length);
        byte[]? rented = null;
        var buffer = length <= StackNameLimit ? stackalloc byte[StackNameLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetBytes(name, buffer);
            action(this, buffer[..written], found);
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }

    internal static string KindWord(BtfKind kind) => kind switch
    {
        BtfKind.Struct => "struct",
        BtfKind.Union => "union",
        BtfKind.Enum or BtfKind.Enum64 => "enum",
        BtfKind.Func => "function",
        BtfKind.FuncProto => "function prototype",
        BtfKind.Typedef => "typedef",
        BtfKind.Var => "variable",
        BtfKind.DataSec => "data section",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
