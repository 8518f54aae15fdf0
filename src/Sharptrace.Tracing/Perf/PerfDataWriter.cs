using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Sharptrace.Kernel.Uapi;

namespace Sharptrace.Tracing.Perf;

/// <summary>
/// Writes a perf.data file in the documented layout (tools/perf/Documentation/perf.data-file-format.txt):
/// a 104-byte header, the event ids, the attrs (each followed by the file section of its ids), the
/// records as the kernel wrote them, then the feature sections. The header is written last, so a
/// file cut short by a crash reads as empty rather than inconsistent.
/// </summary>
public sealed class PerfDataWriter : IDisposable
{
    /// <summary>"PERFILE2" read as a little-endian u64; perf uses its byte order to detect the file's endianness.</summary>
    public const ulong Magic = 0x32454c4946524550;
    /// <summary>sizeof(struct perf_file_header).</summary>
    public const int HeaderSize = 104;
    private const int FileSectionSize = 16;
    /// <summary>
    /// Attrs are stored as PERF_ATTR_SIZE_VER7 (128 bytes): perf 6.1 and older reject larger ones
    /// ("more recent ABI"), and the field beyond (config3) is never set by us.
    /// </summary>
    public const int FileAttrSize = 128;

    private readonly FileStream file;
    private readonly SampledEvent[] events;
    private readonly long attrsOffset;
    private readonly long dataOffset;
    private bool finished;

    /// <summary>Creates <paramref name="path"/> (replacing it) for records of one event.</summary>
    public PerfDataWriter(string path, PerfEventAttr attr, string eventName, IReadOnlyList<ulong> ids)
        : this(path, [new SampledEvent(new EventSpec(eventName, attr.Type, attr.Config), attr, ids)])
    {
    }

    /// <summary>
    /// Creates <paramref name="path"/> (replacing it) for records of several events: all their ids
    /// first, then one attr per event, each followed by the file section of its ids.
    /// </summary>
    public PerfDataWriter(string path, IReadOnlyList<SampledEvent> events)
    {
        if (events.Count == 0) throw new ArgumentException("a perf.data file needs at least one event", nameof(events));
        this.events = [.. events];
        file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
        file.Write(new byte[HeaderSize]);
        var idSections = new List<(long Offset, long Size)>();
        foreach (var e in this.events)
        {
            var idBytes = new byte[e.Ids.Count * 8];
            for (var i = 0; i < e.Ids.Count; i++) BinaryPrimitives.WriteUInt64LittleEndian(idBytes.AsSpan(i * 8), e.Ids[i]);
            idSections.Add((file.Position, idBytes.Length));
            file.Write(idBytes);
        }
        attrsOffset = file.Position;
        Span<byte> idSection = stackalloc byte[FileSectionSize];
        for (var i = 0; i < this.events.Length; i++)
        {
            file.Write(AttrBytes(this.events[i].Attr));
            BinaryPrimitives.WriteUInt64LittleEndian(idSection, (ulong)idSections[i].Offset);
            BinaryPrimitives.WriteUInt64LittleEndian(idSection[8..], (ulong)idSections[i].Size);
            file.Write(idSection);
        }
        dataOffset = file.Position;
    }

    /// <summary>Bytes of records written so far.</summary>
    public long DataSize => file.Position - dataOffset;

    /// <summary>Appends one record (header included), as read from a ring or synthesized.</summary>
    public void WriteRecord(ReadOnlySpan<byte> record) => file.Write(record);

    /// <summary>Writes the feature sections and the header. <paramref name="commandLine"/> is what perf shows as "cmdline".</summary>
    public void Finish(IReadOnlyList<string> commandLine)
    {
        if (finished) return;
        finished = true;
        var dataSize = DataSize;
        var uname = Sharptrace.Kernel.Syscall.Uname();
        var features = new SortedDictionary<PerfDataFeature, byte[]>
        {
            [PerfDataFeature.Hostname] = StringFeature(uname.Node),
            [PerfDataFeature.OsRelease] = StringFeature(uname.Release),
            [PerfDataFeature.Version] = StringFeature("6.1 (sharptrace)"),
            [PerfDataFeature.Arch] = StringFeature(uname.Machine),
            [PerfDataFeature.NrCpus] = NrCpusFeature(),
            [PerfDataFeature.CmdLine] = StringListFeature(commandLine),
            [PerfDataFeature.EventDesc] = EventDescFeature(),
        };
        // Feature index first (one file section per set bit, in bit order), then the sections themselves.
        var indexOffset = file.Position;
        var position = indexOffset + (long)features.Count * FileSectionSize;
        var index = new byte[features.Count * FileSectionSize];
        var i = 0;
        foreach (var (_, bytes) in features)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(index.AsSpan(i * 16), (ulong)position);
            BinaryPrimitives.WriteUInt64LittleEndian(index.AsSpan(i * 16 + 8), (ulong)bytes.Length);
            position += bytes.Length;
            i++;
        }
        file.Write(index);
        foreach (var (_, bytes) in features) file.Write(bytes);

        var header = new byte[HeaderSize];
        var h = header.AsSpan();
        BinaryPrimitives.WriteUInt64LittleEndian(h, Magic);
        BinaryPrimitives.WriteUInt64LittleEndian(h[8..], HeaderSize);
        BinaryPrimitives.WriteUInt64LittleEndian(h[16..], FileAttrSize + FileSectionSize);
        BinaryPrimitives.WriteUInt64LittleEndian(h[24..], (ulong)attrsOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(h[32..], (ulong)(events.Length * (FileAttrSize + FileSectionSize)));
        BinaryPrimitives.WriteUInt64LittleEndian(h[40..], (ulong)dataOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(h[48..], (ulong)dataSize);
        // event_types (56..72) stays empty; the feature bitmap starts at 72.
        foreach (var feature in features.Keys) h[72 + (int)feature / 8] |= (byte)(1 << ((int)feature % 8));
        file.Position = 0;
        file.Write(header);
        file.Flush();
    }

    private static byte[] AttrBytes(PerfEventAttr attr)
    {
        var bytes = new byte[PerfEventAttr.CurrentSize];
        attr.Size = FileAttrSize;
        MemoryMarshal.Write(bytes, in attr);
        return bytes[..FileAttrSize];
    }

    /// <summary>perf's string encoding: u32 length (NUL included, padded to 64), then the bytes, zero-padded.</summary>
    private static byte[] StringFeature(string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        var padded = (utf8.Length + 1 + 63) / 64 * 64;
        var bytes = new byte[4 + padded];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)padded);
        utf8.CopyTo(bytes, 4);
        return bytes;
    }

    private static byte[] StringListFeature(IReadOnlyList<string> items)
    {
        var list = new List<byte>();
        list.AddRange(BitConverter.GetBytes((uint)items.Count));
        foreach (var item in items) list.AddRange(StringFeature(item));
        return [.. list];
    }

    private static byte[] NrCpusFeature()
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)Sharptrace.Kernel.Syscall.ConfiguredCpus);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)CountingTarget.OnlineCpus().Length);
        return bytes;
    }

    private byte[] EventDescFeature()
    {
        var list = new List<byte>();
        list.AddRange(BitConverter.GetBytes((uint)events.Length));
        list.AddRange(BitConverter.GetBytes((uint)FileAttrSize));
        foreach (var e in events)
        {
            list.AddRange(AttrBytes(e.Attr));
            list.AddRange(BitConverter.GetBytes((uint)e.Ids.Count));
            list.AddRange(StringFeature(e.Spec.Name));
            foreach (var id in e.Ids) list.AddRange(BitConverter.GetBytes(id));
        }
        return [.. list];
    }

    /// <inheritdoc />
    public void Dispose() => file.Dispose();
}
