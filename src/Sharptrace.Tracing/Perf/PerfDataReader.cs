using System.Buffers.Binary;
using System.Text;
using Sharptrace.Kernel.Uapi;

namespace Sharptrace.Tracing.Perf;

/// <summary>
/// Reads a perf.data file (ours or perf's, little-endian PERFILE2): header, attrs, feature strings
/// and the records of the data section, every read bounds-checked. A data section cut short (a
/// recording that was killed) is read up to the last whole record and <see cref="Truncated"/> set,
/// so what was recorded can still be reported.
/// </summary>
public sealed class PerfDataReader
{
    private const ulong ContextMax = 0xffff_ffff_ffff_f000; // PERF_CONTEXT_MAX = -4095
    private const ulong ContextKernel = 0xffff_ffff_ffff_ff80; // PERF_CONTEXT_KERNEL = -128

    private readonly byte[] data;
    private readonly long dataStart;
    private readonly long dataEnd;

    private PerfDataReader(string path, byte[] data)
    {
        Path = path;
        this.data = data;
        var s = data.AsSpan();
        if (data.Length < 16) throw Bad(0, $"{data.Length} bytes is too short for a perf.data header");
        var magic = BinaryPrimitives.ReadUInt64LittleEndian(s);
        if (magic == BinaryPrimitives.ReverseEndianness(PerfDataWriter.Magic)) throw Bad(0, "a big-endian perf.data file: not supported");
        if (magic != PerfDataWriter.Magic) throw Bad(0, s[..8].SequenceEqual("PERFFILE"u8) ? "an old (version 1) perf.data file: not supported" : "not a perf.data file (no PERFILE2 magic)");
        var headerSize = U64(8);
        if (headerSize < PerfDataWriter.HeaderSize || (ulong)data.Length < headerSize) throw Bad(8, $"header size {headerSize} is wrong or past the end of the file");
        var attrSize = U64(16);
        var attrsOffset = U64(24);
        var attrsSize = U64(32);
        var dataOffset = U64(40);
        var dataSize = U64(48);
        if (attrSize < 64 + 16 || attrSize > 4096) throw Bad(16, $"attr size {attrSize} is not plausible");
        if (attrsOffset > (ulong)data.Length || attrsSize > (ulong)data.Length - attrsOffset) throw Bad(24, "the attrs section runs past the end of the file");
        var attrs = new List<FileAttr>();
        for (var at = attrsOffset; at + attrSize <= attrsOffset + attrsSize; at += attrSize)
        {
            var a = s.Slice((int)at, (int)attrSize - 16);
            var attr = new PerfEventAttr
            {
                Type = (PerfType)BinaryPrimitives.ReadUInt32LittleEndian(a),
                Config = BinaryPrimitives.ReadUInt64LittleEndian(a[8..]),
                SamplePeriodOrFreq = BinaryPrimitives.ReadUInt64LittleEndian(a[16..]),
                SampleType = (PerfSampleType)BinaryPrimitives.ReadUInt64LittleEndian(a[24..]),
                ReadFormat = BinaryPrimitives.ReadUInt64LittleEndian(a[32..]),
                Flags = (PerfEventFlags)BinaryPrimitives.ReadUInt64LittleEndian(a[40..]),
            };
            // The attr's file section of ids follows it: samples name their event by one of these.
            var idsAt = (long)at + (long)attrSize - 16;
            var idsOffset = U64(idsAt);
            var idsSize = U64(idsAt + 8);
            var ids = new List<ulong>();
            if (idsOffset <= (ulong)data.Length && idsSize <= (ulong)data.Length - idsOffset && idsSize / 8 < 1 << 20)
                for (var i = 0UL; i < idsSize / 8; i++) ids.Add(U64((long)(idsOffset + i * 8)));
            attrs.Add(new FileAttr(attr) { Ids = ids });
        }
        if (attrs.Count == 0) throw Bad(24, "the file describes no events");
        Attrs = attrs;
        if (dataOffset > (ulong)data.Length) throw Bad(40, "the data section starts past the end of the file");
        dataStart = (long)dataOffset;
        dataEnd = (long)Math.Min(dataOffset + dataSize, (ulong)data.Length);
        if (dataSize == 0) throw Bad(48, "empty data section: the recording wrote no samples (was it interrupted before the end?)");
        Truncated = dataOffset + dataSize > (ulong)data.Length;
        var features = s.Slice(72, 32).ToArray();
        ReadFeatures(features, dataOffset + dataSize);
    }

    /// <summary>The file read.</summary>
    public string Path { get; }

    /// <summary>The events (the first one describes samples when there is only one).</summary>
    public IReadOnlyList<FileAttr> Attrs { get; }

    /// <summary>True when the data section ends before the header says it does.</summary>
    public bool Truncated { get; private set; }

    /// <summary>The first event's name from HEADER_EVENT_DESC, or null.</summary>
    public string? EventName => EventNames.Count > 0 ? EventNames[0] : null;

    /// <summary>The names of the events from HEADER_EVENT_DESC, in attr order (empty without it).</summary>
    public IReadOnlyList<string> EventNames { get; private set; } = [];

    /// <summary>The index of the attr whose ids hold <paramref name="id"/>; 0 when none does (files of one event carry no ids in samples).</summary>
    public int EventIndexOf(ulong id)
    {
        if (eventOfId is null)
        {
            eventOfId = [];
            for (var i = 0; i < Attrs.Count; i++)
                foreach (var known in Attrs[i].Ids) eventOfId.TryAdd(known, i);
        }
        return eventOfId.GetValueOrDefault(id);
    }

    private Dictionary<ulong, int>? eventOfId;

    /// <summary>The host that recorded (HEADER_HOSTNAME), or null.</summary>
    public string? Hostname { get; private set; }

    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="PerfDataFormatException">Not a perf.data file, or a damaged one.</exception>
    public static PerfDataReader Open(string path) => new(path, File.ReadAllBytes(path));

    /// <summary>Parses perf.data bytes held in memory.</summary>
    public static PerfDataReader Parse(byte[] bytes, string path = "(memory)") => new(path, bytes);

    private ulong U64(long at) => BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan((int)at));

    private PerfDataFormatException Bad(long offset, string problem) => new(Path, offset, problem);

    private void ReadFeatures(byte[] bitmap, ulong indexOffset)
    {
        var index = 0;
        for (var bit = 0; bit < 256; bit++)
        {
            if ((bitmap[bit / 8] & (1 << (bit % 8))) == 0) continue;
            var at = indexOffset + (ulong)index * 16;
            index++;
            if (at + 16 > (ulong)data.Length) return; // features lost with a truncated file: they are optional
            var offset = U64((long)at);
            var size = U64((long)at + 8);
            if (offset > (ulong)data.Length || size > (ulong)data.Length - offset) continue;
            var section = data.AsSpan((int)offset, (int)size);
            if (bit == (int)PerfDataFeature.Hostname) Hostname = ReadString(section, out _);
            if (bit == (int)PerfDataFeature.EventDesc && section.Length >= 8) EventNames = ReadEventNames(section);
        }
    }

    // HEADER_EVENT_DESC: u32 count, u32 attr size, then per event: attr, u32 id count, name string, ids.
    private static List<string> ReadEventNames(ReadOnlySpan<byte> section)
    {
        var names = new List<string>();
        var count = BinaryPrimitives.ReadUInt32LittleEndian(section);
        var attrSize = BinaryPrimitives.ReadUInt32LittleEndian(section[4..]);
        var at = 8L;
        for (var e = 0; e < count && e < 4096; e++)
        {
            if (at + attrSize + 4 >= section.Length) break;
            var idCount = BinaryPrimitives.ReadUInt32LittleEndian(section[(int)(at + attrSize)..]);
            at += attrSize + 4;
            var name = ReadString(section[(int)at..], out var consumed);
            if (name is null) break;
            names.Add(name);
            at += consumed + 8L * idCount;
        }
        return names;
    }

    private static string? ReadString(ReadOnlySpan<byte> s, out int consumed)
    {
        consumed = 0;
        if (s.Length < 4) return null;
        var length = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(s), (uint)(s.Length - 4));
        consumed = 4 + length;
        var bytes = s.Slice(4, length);
        var nul = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul < 0 ? bytes : bytes[..nul]);
    }

    /// <summary>
    /// Every record of the data section in file order, as (type, misc, bytes) with the header
    /// included. Stops at the first record whose size is impossible, setting <see cref="Truncated"/>.
    /// </summary>
    public IEnumerable<PerfRecordView> Records()
    {
        var at = dataStart;
        while (at + 8 <= dataEnd)
        {
            var type = (PerfRecordType)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan((int)at));
            var misc = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan((int)at + 4));
            var size = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan((int)at + 6));
            if (size < 8 || at + size > dataEnd)
            {
                Truncated = true;
                yield break;
            }
            yield return new PerfRecordView(type, misc, new ReadOnlyMemory<byte>(data, (int)at, size), at);
            at += size;
        }
        if (at != dataEnd) Truncated = true;
    }

    /// <summary>
    /// Decodes a SAMPLE record with the first attr's sample_type (IDENTIFIER, IP, TID, TIME, ADDR,
    /// ID, STREAM_ID, CPU, PERIOD, CALLCHAIN); null when it is too short for its fields.
    /// </summary>
    public PerfSample? DecodeSample(PerfRecordView record)
    {
        var type = Attrs[0].Attr.SampleType;
        var s = record.Bytes.Span;
        var at = 8;
        bool Has(PerfSampleType t) => (type & t) != 0;
        static ulong Take(ReadOnlySpan<byte> s, ref int at) { var v = BinaryPrimitives.ReadUInt64LittleEndian(s[at..]); at += 8; return v; }
        try
        {
            var id = Has(PerfSampleType.Identifier) ? Take(s, ref at) : 0;
            var ip = Has(PerfSampleType.Ip) ? Take(s, ref at) : 0;
            int pid = 0, tid = 0;
            if (Has(PerfSampleType.Tid)) { var v = Take(s, ref at); pid = (int)(uint)v; tid = (int)(v >> 32); }
            var time = Has(PerfSampleType.Time) ? Take(s, ref at) : 0;
            if (Has(PerfSampleType.Addr)) Take(s, ref at);
            if (Has(PerfSampleType.Id)) id = Take(s, ref at);
            if (Has(PerfSampleType.StreamId)) Take(s, ref at);
            var cpu = Has(PerfSampleType.Cpu) ? (int)(uint)Take(s, ref at) : -1;
            var period = Has(PerfSampleType.Period) ? Take(s, ref at) : 1;
            if (Has(PerfSampleType.Read)) return null; // not written by us; its layout depends on read_format
            var inKernel = (record.Misc & PerfRecordMisc.CpuModeMask) == PerfRecordMisc.Kernel;
            ulong[] chain;
            if (Has(PerfSampleType.Callchain))
            {
                var count = Take(s, ref at);
                if (count > (ulong)(s.Length - at) / 8) return null;
                var list = new List<ulong>((int)count);
                for (var i = 0UL; i < count; i++)
                {
                    var address = Take(s, ref at);
                    if (address >= ContextMax) continue; // PERF_CONTEXT_KERNEL/USER markers
                    list.Add(address);
                }
                chain = list.Count > 0 ? [.. list] : [ip];
            }
            else chain = [ip];
            return new PerfSample(pid, tid, time, cpu, period, ip, inKernel, chain) { Id = id };
        }
        catch (ArgumentOutOfRangeException) { return null; }
    }

    /// <summary>The time in a non-sample record's sample_id trailer (0 when the file has none).</summary>
    public ulong TrailerTime(PerfRecordView record)
    {
        var attr = Attrs[0].Attr;
        if ((attr.Flags & PerfEventFlags.SampleIdAll) == 0 || (attr.SampleType & PerfSampleType.Time) == 0) return 0;
        // The trailer is TID, TIME, ID, STREAM_ID, CPU, IDENTIFIER (those present), at the record's end.
        var fields = 0;
        foreach (var t in (ReadOnlySpan<PerfSampleType>)[PerfSampleType.Time, PerfSampleType.Id, PerfSampleType.StreamId, PerfSampleType.Cpu, PerfSampleType.Identifier])
            if ((attr.SampleType & t) != 0) fields++;
        var at = record.Bytes.Length - fields * 8;
        return at >= 8 ? BinaryPrimitives.ReadUInt64LittleEndian(record.Bytes.Span[at..]) : 0;
    }

    /// <summary>True when a callchain marker says the address is kernel code (used for colouring).</summary>
    public static bool IsKernelMarker(ulong value) => value == ContextKernel;
}

/// <summary>One event of a perf.data file.</summary>
public sealed record FileAttr(PerfEventAttr Attr)
{
    /// <summary>The kernel ids of this event's fds (its attr's id section).</summary>
    public IReadOnlyList<ulong> Ids { get; init; } = [];
}

/// <summary>A record of the data section: its type, misc bits, whole bytes (header included) and file offset.</summary>
public readonly record struct PerfRecordView(PerfRecordType Type, ushort Misc, ReadOnlyMemory<byte> Bytes, long Offset);
