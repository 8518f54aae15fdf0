using System.Buffers.Binary;
using System.Text;

namespace Sharptrace.Bpf.Btf;

/// <summary>
/// A parsed BTF blob: the kernel's (/sys/kernel/btf/vmlinux), a module's (split BTF on top of
/// vmlinux), or an object file's .BTF section. Pure: built from bytes, no syscalls.
/// </summary>
/// <remarks>
/// Parsing validates every record once (bounds, kinds, string and type references) and keeps only
/// an offset per type; names are decoded when asked for and the name index is built on the first
/// lookup. The spec keeps a reference to the memory it was parsed from, which must not change
/// afterwards. After a successful parse every accessor stays inside the blob; loops through type
/// references are bounded and reported as <see cref="BtfFormatException"/>.
/// </remarks>
public sealed partial class BtfSpec
{
    /// <summary>Where the running kernel publishes its BTF.</summary>
    public const string KernelBtfPath = "/sys/kernel/btf/vmlinux";

    /// <summary>
    /// How many typedef/qualifier/pointer/array hops a walk follows before calling the chain cyclic.
    /// libbpf uses the same bound (MAX_RESOLVE_DEPTH); real kernels stay far below it.
    /// </summary>
    internal const int MaxChainDepth = 32;

    private const int TypeRecordSize = 12;

    private readonly ReadOnlyMemory<byte> raw;
    private readonly int stringStart;
    private readonly int stringLength;
    private readonly int stringBase;
    private readonly int[] typeOffsets;
    private BtfNameIndex? nameIndex;

    private BtfSpec(ReadOnlyMemory<byte> raw, BtfHeader header, BtfSpec? baseSpec, int stringStart, int[] typeOffsets)
    {
        this.raw = raw;
        Header = header;
        Base = baseSpec;
        this.stringStart = stringStart;
        stringLength = (int)header.StringLength;
        stringBase = baseSpec?.TotalStringLength ?? 0;
        this.typeOffsets = typeOffsets;
        FirstTypeId = baseSpec?.TypeCount ?? 1;
    }

    /// <summary>The header of this blob.</summary>
    public BtfHeader Header { get; }

    /// <summary>The spec this one is split from (vmlinux for a module), or null.</summary>
    public BtfSpec? Base { get; }

    /// <summary>The first type id defined by this blob: 1, or the base's type count for split BTF.</summary>
    public int FirstTypeId { get; }

    /// <summary>Number of type ids visible through this spec, including void (id 0) and the base's types.</summary>
    public int TypeCount => FirstTypeId + typeOffsets.Length;

    /// <summary>Number of types defined by this blob itself.</summary>
    public int OwnTypeCount => typeOffsets.Length;

    /// <summary>Pointer size in bytes assumed for PTR types (BTF does not record it).</summary>
    public int PointerSize => 8;

    internal int TotalStringLength => stringBase + stringLength;

    /// <summary>Reads and parses the running kernel's BTF (file reading only, no bpf syscalls).</summary>
    public static BtfSpec LoadKernel() => Load(KernelBtfPath);

    /// <summary>Reads and parses a kernel module's split BTF from /sys/kernel/btf/<paramref name="module"/>.</summary>
    public static BtfSpec LoadKernelModule(string module, BtfSpec vmlinux)
    {
        ArgumentException.ThrowIfNullOrEmpty(module);
        if (module.Contains('/'))
            throw new ArgumentException($"module name '{module}' must not contain '/'", nameof(module));
        return Load(Path.Combine("/sys/kernel/btf", module), vmlinux);
    }

    /// <summary>Names of the kernel modules that publish BTF in /sys/kernel/btf (empty if none or no BTF).</summary>
    public static IReadOnlyList<string> KernelModulesWithBtf()
    {
        if (!Directory.Exists("/sys/kernel/btf"))
            return [];
        var modules = new List<string>();
        foreach (var path in Directory.EnumerateFiles("/sys/kernel/btf"))
        {
            var name = Path.GetFileName(path);
            if (name != "vmlinux")
                modules.Add(name);
        }
        modules.Sort(StringComparer.Ordinal);
        return modules;
    }

    /// <summary>Reads and parses a raw BTF file, optionally split on top of <paramref name="baseSpec"/>.</summary>
    public static BtfSpec Load(string path, BtfSpec? baseSpec = null) => Parse(File.ReadAllBytes(path), baseSpec);

    /// <summary>
    /// Parses raw BTF. With <paramref name="baseSpec"/>, the blob is split BTF: its type ids start at
    /// <c>baseSpec.TypeCount</c> and its string offsets after the base's strings.
    /// </summary>
    /// <exception cref="BtfFormatException">The blob is malformed; the exception carries the offset.</exception>
    public static BtfSpec Parse(ReadOnlyMemory<byte> raw, BtfSpec? baseSpec = null)
    {
        var header = ReadHeader(raw.Span);
        if (header.IsBigEndian)
            raw = SwapToLittleEndian(raw.Span, header);
        return ParseLittleEndian(raw, header, baseSpec);
    }

    private static BtfHeader ReadHeader(ReadOnlySpan<byte> data)
    {
        if (data.Length < BtfHeader.MinimumLength)
            throw new BtfFormatException($"{data.Length} bytes is shorter than the {BtfHeader.MinimumLength}-byte header", 0);
        bool bigEndian;
        var magic = BinaryPrimitives.ReadUInt16LittleEndian(data);
        if (magic == BtfHeader.ExpectedMagic)
            bigEndian = false;
        else if (magic == BinaryPrimitives.ReverseEndianness(BtfHeader.ExpectedMagic))
            bigEndian = true;
        else
            throw new BtfFormatException($"bad magic 0x{magic:x4} (want 0xeb9f)", 0);

        var header = new BtfHeader(BtfHeader.ExpectedMagic, data[2], data[3], U32(data, 4, bigEndian), U32(data, 8, bigEndian),
            U32(data, 12, bigEndian), U32(data, 16, bigEndian), U32(data, 20, bigEndian), bigEndian);
        if (header.Version != 1)
            throw new BtfFormatException($"unsupported version {header.Version}", 2);
        if (header.HeaderLength < BtfHeader.MinimumLength || header.HeaderLength > data.Length)
            throw new BtfFormatException($"header length {header.HeaderLength} outside 24..{data.Length}", 4);
        CheckSection(data.Length, header.HeaderLength, header.TypeOffset, header.TypeLength, "type", 8);
        CheckSection(data.Length, header.HeaderLength, header.StringOffset, header.StringLength, "string", 16);
        if (header.TypeOffset % 4 != 0 || header.TypeLength % 4 != 0)
            throw new BtfFormatException("type section is not 4-byte aligned", 8);
        return header;
    }

    private static uint U32(ReadOnlySpan<byte> data, int at, bool bigEndian) => bigEndian
        ? BinaryPrimitives.ReadUInt32BigEndian(data[at..])
        : BinaryPrimitives.ReadUInt32LittleEndian(data[at..]);

    private static void CheckSection(int blobLength, uint headerLength, uint offset, uint length, string what, int fieldOffset)
    {
        var end = (ulong)headerLength + offset + length;
        if (end > (ulong)blobLength)
            throw new BtfFormatException($"{what} section [{offset}, +{length}) after the header runs past the {blobLength}-byte blob", fieldOffset);
    }

    // Every field after the magic is a 32-bit word (the header's and every type record's), and the
    // string section is bytes; so a big-endian blob becomes little-endian by reversing each word of
    // the header and the type section. Offsets in errors stay those of the original blob.
    private static byte[] SwapToLittleEndian(ReadOnlySpan<byte> data, BtfHeader header)
    {
        var copy = data.ToArray();
        BinaryPrimitives.WriteUInt16LittleEndian(copy, BtfHeader.ExpectedMagic);
        var headerEnd = (int)header.HeaderLength & ~3;
        for (var at = 4; at + 4 <= headerEnd; at += 4)
            SwapWord(copy, at);
        var typeStart = (int)(header.HeaderLength + header.TypeOffset);
        var typeEnd = typeStart + (int)header.TypeLength;
        for (var at = typeStart; at + 4 <= typeEnd; at += 4)
            SwapWord(copy, at);
        return copy;
    }

    private static void SwapWord(byte[] data, int at)
    {
        var span = data.AsSpan(at, 4);
        BinaryPrimitives.WriteUInt32LittleEndian(span, BinaryPrimitives.ReadUInt32BigEndian(span));
    }

    private static BtfSpec ParseLittleEndian(ReadOnlyMemory<byte> raw, BtfHeader header, BtfSpec? baseSpec)
    {
        var data = raw.Span;
        var typeStart = (int)(header.HeaderLength + header.TypeOffset);
        var typeEnd = typeStart + (int)header.TypeLength;
        var stringStart = (int)(header.HeaderLength + header.StringOffset);
        var stringLength = (int)header.StringLength;

        if (stringLength > 0 && data[stringStart + stringLength - 1] != 0)
            throw new BtfFormatException("string section does not end with NUL", stringStart + stringLength - 1);
        if (baseSpec is null && (stringLength == 0 || data[stringStart] != 0))
            throw new BtfFormatException("string section does not start with the empty string", stringStart);

        // Pass 1 only measures, so the offset table is allocated once at its exact size.
        var count = 0;
        for (var at = typeStart; at < typeEnd; count++)
            at += RecordLength(data, at, typeEnd);

        var firstId = baseSpec?.TypeCount ?? 1;
        if ((long)firstId + count > int.MaxValue)
            throw new BtfFormatException("too many types", typeStart);
        var offsets = new int[count];
        var spec = new BtfSpec(raw, header, baseSpec, stringStart, offsets);

        // Pass 2 fills the table and checks every reference against the now known id range.
        var typeLimit = (uint)(firstId + count);
        var stringLimit = (uint)spec.TotalStringLength;
        var index = 0;
        for (var at = typeStart; at < typeEnd; index++)
        {
            offsets[index] = at;
            at += ValidateRecord(data, at, typeLimit, stringLimit);
        }
        return spec;
    }

    private static int RecordLength(ReadOnlySpan<byte> data, int at, int typeEnd)
    {
        if (typeEnd - at < TypeRecordSize)
            throw new BtfFormatException("type record runs past the type section", at);
        var info = BinaryPrimitives.ReadUInt32LittleEndian(data[(at + 4)..]);
        var kind = (BtfKind)((info >> 24) & 0x1f);
        var vlen = (int)(info & 0xffff);
        var trailing = kind switch
        {
            BtfKind.Int or BtfKind.Var or BtfKind.DeclTag => 4,
            BtfKind.Array => 12,
            BtfKind.Struct or BtfKind.Union or BtfKind.DataSec or BtfKind.Enum64 => 12 * vlen,
            BtfKind.Enum or BtfKind.FuncProto => 8 * vlen,
            BtfKind.Pointer or BtfKind.Forward or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const
                or BtfKind.Restrict or BtfKind.Func or BtfKind.Float or BtfKind.TypeTag => 0,
            _ => throw new BtfFormatException($"unknown kind {(int)kind}", at + 4),
        };
        var length = TypeRecordSize + trailing;
        if (typeEnd - at < length)
            throw new BtfFormatException($"{kind} record with {vlen} entries runs past the type section", at);
        return length;
    }

    private static int ValidateRecord(ReadOnlySpan<byte> data, int at, uint typeLimit, uint stringLimit)
    {
        NameRef(data, stringLimit, at);
        var info = Word(data, at + 4);
        var kind = (BtfKind)((info >> 24) & 0x1f);
        var vlen = (int)(info & 0xffff);
        var extra = at + TypeRecordSize;
        switch (kind)
        {
            case BtfKind.Int:
            {
                var size = Word(data, at + 8);
                var encoding = Word(data, extra);
                var bits = encoding & 0xff;
                var bitOffset = (encoding >> 16) & 0xff;
                if (size is not (1 or 2 or 4 or 8 or 16) || bits > 128 || bitOffset + bits > size * 8)
                    throw new BtfFormatException($"int of size {size} with {bits} bits at bit {bitOffset}", at);
                return 16;
            }
            case BtfKind.Pointer or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict
                or BtfKind.Func or BtfKind.TypeTag:
                TypeRef(data, typeLimit, at + 8);
                return TypeRecordSize;
            case BtfKind.Var or BtfKind.DeclTag:
                TypeRef(data, typeLimit, at + 8);
                return 16;
            case BtfKind.Array:
                TypeRef(data, typeLimit, extra);
                TypeRef(data, typeLimit, extra + 4);
                return 24;
            case BtfKind.Struct or BtfKind.Union:
                for (var i = 0; i < vlen; i++)
                {
                    NameRef(data, stringLimit, extra + 12 * i);
                    TypeRef(data, typeLimit, extra + 12 * i + 4);
                }
                return TypeRecordSize + 12 * vlen;
            case BtfKind.Enum:
                for (var i = 0; i < vlen; i++)
                    NameRef(data, stringLimit, extra + 8 * i);
                return TypeRecordSize + 8 * vlen;
            case BtfKind.Enum64:
                for (var i = 0; i < vlen; i++)
                    NameRef(data, stringLimit, extra + 12 * i);
                return TypeRecordSize + 12 * vlen;
            case BtfKind.FuncProto:
                TypeRef(data, typeLimit, at + 8);
                for (var i = 0; i < vlen; i++)
                {
                    NameRef(data, stringLimit, extra + 8 * i);
                    TypeRef(data, typeLimit, extra + 8 * i + 4);
                }
                return TypeRecordSize + 8 * vlen;
            case BtfKind.DataSec:
                for (var i = 0; i < vlen; i++)
                    TypeRef(data, typeLimit, extra + 12 * i);
                return TypeRecordSize + 12 * vlen;
            default: // Forward, Float
                return TypeRecordSize;
        }
    }

    private static uint Word(ReadOnlySpan<byte> data, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(data[offset..]);

    private static void TypeRef(ReadOnlySpan<byte> data, uint typeLimit, int offset)
    {
        var id = Word(data, offset);
        if (id >= typeLimit)
            throw new BtfFormatException($"type id {id} out of range (only {typeLimit} types)", offset);
    }

    private static void NameRef(ReadOnlySpan<byte> data, uint stringLimit, int offset)
    {
        var name = Word(data, offset);
        if (name >= stringLimit)
            throw new BtfFormatException($"string offset {name} past the {stringLimit}-byte string section", offset);
    }

    /// <summary>The type with id <paramref name="id"/> (0 is void), looking into the base spec for its ids.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No such id.</exception>
    public BtfType TypeById(int id)
    {
        if ((uint)id >= (uint)TypeCount)
            throw new ArgumentOutOfRangeException(nameof(id), id, $"type ids are 0..{TypeCount - 1}");
        if (id == 0)
            return new BtfType(this, 0, -1);
        if (id < FirstTypeId)
            return Base!.TypeById(id);
        return new BtfType(this, id, typeOffsets[id - FirstTypeId]);
    }

    /// <summary>Every type from id 1 up, the base spec's first.</summary>
    public IEnumerable<BtfType> Types
    {
        get
        {
            for (var id = 1; id < TypeCount; id++)
                yield return TypeById(id);
        }
    }

    internal uint Word(int offset) => BinaryPrimitives.ReadUInt32LittleEndian(raw.Span[offset..]);

    /// <summary>The NUL-terminated UTF-8 string at <paramref name="offset"/>, without the NUL.</summary>
    internal ReadOnlySpan<byte> StringBytes(uint offset)
    {
        if (offset < (uint)stringBase)
            return Base!.StringBytes(offset);
        var local = (int)(offset - (uint)stringBase);
        var rest = raw.Span.Slice(stringStart + local, stringLength - local);
        // Validation made sure the section ends with NUL, so a terminator is always found.
        return rest[..rest.IndexOf((byte)0)];
    }

    /// <summary>Decodes the string at a string-section offset (as found in name_off fields).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The offset is outside the string section.</exception>
    public string GetString(uint offset)
    {
        if (offset >= (uint)TotalStringLength)
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"string section is {TotalStringLength} bytes");
        return offset == 0 ? "" : Encoding.UTF8.GetString(StringBytes(offset));
    }

    internal BtfFormatException Malformed(string problem, BtfType type) => new(problem, type.RecordOffset);
}
