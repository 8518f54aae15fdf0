using System.Collections.Immutable;

namespace Sharptrace.Script.Semantics;

/// <summary>What kind of value an expression or map holds.</summary>
internal enum TypeKind
{
    None, Integer, String, Tuple, Pointer, Record,
    // Map-only aggregations, kept per CPU and merged in user space.
    Count, Sum, Min, Max, Avg, Stats, Hist, Lhist,
    Username, Probe,
    // Stacks and symbols: a stack id (plus the pid for user space) or an address, resolved in user space.
    Kstack, Ustack, Ksym, Usym,
    // strftime() keeps nanoseconds since boot and ntop() an address (u64 family, then 16 bytes, as
    // bpftrace's inet): both turned into text in user space.
    Timestamp, Inet,
    // buf(): a u64 length then the bytes, printed with %r as bpftrace's hex-escaped text.
    Buffer,
    // strerror(): the errno, and macaddr(): 6 bytes (padded to 8), turned into text in user space.
    Strerror, MacAddress,
    // cgroup_path(): the cgroup id, its paths found in user space.
    CgroupPath,
    // pton(): an int8 array of 4 or 16 bytes, a constant kept on the stack.
    Array,
}

/// <summary>
/// The type of a value: an integer of some size and signedness, a fixed-size string, a tuple, a
/// pointer (to a BTF/format type), or a map aggregation. Sizes are the bytes the value takes in a
/// map or an event record.
/// </summary>
internal sealed record ScriptType(TypeKind Kind, int Size, bool Signed = false)
{
    public static readonly ScriptType None = new(TypeKind.None, 0);
    public static readonly ScriptType Int64 = new(TypeKind.Integer, 8, true);
    public static readonly ScriptType UInt64 = new(TypeKind.Integer, 8);
    public static readonly ScriptType Int32 = new(TypeKind.Integer, 4, true);
    public static readonly ScriptType UInt32 = new(TypeKind.Integer, 4);
    public static readonly ScriptType UInt16 = new(TypeKind.Integer, 2);
    public static readonly ScriptType Int16 = new(TypeKind.Integer, 2, true);
    public static readonly ScriptType UInt8 = new(TypeKind.Integer, 1);
    public static readonly ScriptType Int8 = new(TypeKind.Integer, 1, true);

    /// <summary>Tuple elements (each at an 8-aligned offset).</summary>
    public ImmutableArray<ScriptType> Elements { get; init; } = [];

    /// <summary>For pointers: the C type pointed at, as a name ("struct task_struct", "char").</summary>
    public string? Pointee { get; init; }

    /// <summary>For pointers and records: the BTF type id of the pointee/struct (0 when only its name is known).</summary>
    public int BtfId { get; init; }

    /// <summary>A C array member other than char[]: the value is the array's address.</summary>
    public bool IsArrayAddress { get; init; }

    /// <summary>strftime's format, kept with the Timestamp type for printing.</summary>
    public string? TimeFormat { get; init; }

    /// <summary>cgroup_path's filter of hierarchy names ("*" for all), kept with the CgroupPath type for printing.</summary>
    public string? CgroupFilter { get; init; }

    /// <summary>lhist parameters, kept with the map's type for printing.</summary>
    public (long Min, long Max, long Step) Linear { get; init; }

    public bool IsInteger => Kind is TypeKind.Integer or TypeKind.Pointer;
    public bool IsAggregation => Kind is >= TypeKind.Count and <= TypeKind.Lhist;

    /// <summary>Values that live on the BPF stack rather than in a register.</summary>
    public bool IsOnStack => Kind is TypeKind.String or TypeKind.Tuple or TypeKind.Record or TypeKind.Probe or TypeKind.Ustack or TypeKind.Usym or TypeKind.Buffer or TypeKind.Inet or TypeKind.MacAddress or TypeKind.Array;

    /// <summary>kstack/ustack: "bpftrace", "perf" or "raw", and how many frames to show.</summary>
    public (string Mode, int Depth) Stack { get; init; } = ("bpftrace", 127);

    public static ScriptType String(int size) => new(TypeKind.String, size);

    public static ScriptType Pointer(string pointee) => new(TypeKind.Pointer, 8) { Pointee = pointee };

    public static ScriptType Integer(int size, bool signed) => new(TypeKind.Integer, size, signed);

    public static ScriptType Tuple(IEnumerable<ScriptType> elements)
    {
        var list = elements.Select(e => e.Kind is TypeKind.Integer or TypeKind.Pointer ? e with { Size = 8 } : e).ToImmutableArray();
        return new ScriptType(TypeKind.Tuple, list.Sum(e => Align8(e.Size))) { Elements = list };
    }

    public static int Align8(int size) => (size + 7) & ~7;

    /// <summary>Offsets of tuple elements.</summary>
    public int ElementOffset(int index)
    {
        var offset = 0;
        for (var i = 0; i < index; i++) offset += Align8(Elements[i].Size);
        return offset;
    }

    /// <summary>Whether a value of <paramref name="other"/> may be stored where this type lives.</summary>
    public bool Compatible(ScriptType other)
    {
        if (IsInteger && other.IsInteger) return true;
        if (Kind != other.Kind) return false;
        if (Kind == TypeKind.Tuple)
            return Elements.Length == other.Elements.Length && Elements.Zip(other.Elements).All(p => p.First.Compatible(p.Second));
        return true;
    }

    /// <summary>bpftrace's spelling in error messages: int64, uint32, string[16], (int64,string[64]), count.</summary>
    public override string ToString() => Kind switch
    {
        TypeKind.Integer => $"{(Signed ? "" : "u")}int{Size * 8}",
        TypeKind.String => $"string[{Size}]",
        TypeKind.Pointer => $"{Pointee} *",
        TypeKind.Record => Pointee ?? "record",
        TypeKind.Tuple => $"({string.Join(",", Elements)})",
        TypeKind.Count => "count",
        TypeKind.Sum => "sum",
        TypeKind.Min => "min",
        TypeKind.Max => "max",
        TypeKind.Avg => "avg",
        TypeKind.Stats => "stats",
        TypeKind.Hist => "hist",
        TypeKind.Lhist => "lhist",
        TypeKind.None => "none",
        TypeKind.Kstack => "kstack",
        TypeKind.Ustack => "ustack",
        TypeKind.Ksym => "ksym",
        TypeKind.Timestamp => "timestamp",
        TypeKind.Inet => "inet",
        TypeKind.Buffer => "buffer",
        TypeKind.Usym => "usym",
        TypeKind.Strerror => "strerror",
        TypeKind.MacAddress => "macaddr",
        TypeKind.CgroupPath => "cgroup_path",
        TypeKind.Array => $"int8[{Size}]",
        _ => Kind.ToString().ToLowerInvariant(),
    };
}
