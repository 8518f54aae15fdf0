using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Sharptrace.Tracing.Ftrace;

/// <summary>
/// A sharptrace trace file read into memory (pure: bytes in): metadata, ring-buffer layout, event
/// formats, per-CPU page lists, comms, per-CPU stats and kernel symbols.
/// </summary>
public sealed class TraceFile
{
    private readonly Dictionary<int, List<(int Offset, int Length)>> pagesByCpu = [];

    private TraceFile(byte[] data) => Data = data;

    /// <summary>The whole file.</summary>
    public byte[] Data { get; }

    /// <summary>The "key=value" metadata.</summary>
    public Dictionary<string, string> Metadata { get; } = [];

    /// <summary>The ring-buffer page layout of the recording machine.</summary>
    public RingBufferLayout Layout { get; private set; } = RingBufferLayout.Default64;

    /// <summary>Bytes per page (sub-buffer).</summary>
    public int PageSize { get; private set; } = 4096;

    /// <summary>The events the trace can contain.</summary>
    public EventTypeTable Events { get; } = new();

    /// <summary>pid → comm from saved_cmdlines.</summary>
    public Dictionary<int, string> Comms { get; } = [];

    /// <summary>cpu → the text of per_cpu/cpuN/stats at the end of the recording.</summary>
    public SortedDictionary<int, string> CpuStats { get; } = [];

    /// <summary>Kernel symbols, when the file has them.</summary>
    public KernelSymbolTable? Symbols { get; private set; }

    /// <summary>The CPUs that have pages.</summary>
    public IEnumerable<int> Cpus => pagesByCpu.Keys.Order();

    /// <summary>The pages of <paramref name="cpu"/>, in recording order, as spans of <see cref="Data"/>.</summary>
    public IReadOnlyList<(int Offset, int Length)> PagesOf(int cpu) => pagesByCpu.TryGetValue(cpu, out var list) ? list : [];

    /// <summary>Total bytes of ring-buffer pages in the file.</summary>
    public long PageBytes => pagesByCpu.Values.Sum(l => l.Sum(p => (long)p.Length));

    /// <summary>Reads the file at <paramref name="path"/>.</summary>
    public static TraceFile Load(string path) => Parse(File.ReadAllBytes(path));

    /// <summary>Parses a whole file; throws <see cref="TraceFileFormatException"/> (or a format file's <see cref="FormatException"/>) on damage.</summary>
    public static TraceFile Parse(byte[] data)
    {
        var file = new TraceFile(data);
        if (data.Length < 16 || !data.AsSpan(0, 8).SequenceEqual(TraceFileWriter.Magic))
            throw new TraceFileFormatException(0, "not a sharptrace trace file (no STFTRACE magic)");
        var version = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(8));
        if (version != TraceFileWriter.Version) throw new TraceFileFormatException(8, $"unsupported version {version}");
        string? headerPage = null, headerEvent = null;
        var pageSections = new List<(int Cpu, int Offset, int Length)>();
        long at = 16;
        while (at < data.Length)
        {
            if (data.Length - at < 16) throw new TraceFileFormatException(at, "section header cut off");
            var kind = (TraceFileSection)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan((int)at));
            var length = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan((int)at + 8));
            var start = at + 16;
            if (length > (ulong)(data.Length - start)) throw new TraceFileFormatException(at, $"section of {length} bytes runs past the end of the file");
            var payload = data.AsSpan((int)start, (int)length);
            switch (kind)
            {
                case TraceFileSection.Metadata:
                    foreach (var line in Text(payload).Split('\n'))
                    {
                        var eq = line.IndexOf('=');
                        if (eq > 0) file.Metadata[line[..eq]] = line[(eq + 1)..];
                    }
                    break;
                case TraceFileSection.HeaderPage: headerPage = Text(payload); break;
                case TraceFileSection.HeaderEvent: headerEvent = Text(payload); break;
                case TraceFileSection.EventFormat:
                    {
                        var text = Text(payload);
                        var newline = text.IndexOf('\n');
                        if (newline <= 0) throw new TraceFileFormatException(at, "event format without a system name");
                        file.Events.Add(text[..newline], text[(newline + 1)..]);
                        break;
                    }
                case TraceFileSection.CpuPages:
                    if (payload.Length < 4) throw new TraceFileFormatException(at, "page section without a cpu");
                    pageSections.Add(((int)BinaryPrimitives.ReadUInt32LittleEndian(payload), (int)start + 4, payload.Length - 4));
                    break;
                case TraceFileSection.Cmdlines:
                    foreach (var line in Text(payload).Split('\n'))
                    {
                        var space = line.IndexOf(' ');
                        if (space > 0 && int.TryParse(line.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                            file.Comms[pid] = line[(space + 1)..];
                    }
                    break;
                case TraceFileSection.CpuStats:
                    if (payload.Length < 4) throw new TraceFileFormatException(at, "stats section without a cpu");
                    file.CpuStats[(int)BinaryPrimitives.ReadUInt32LittleEndian(payload)] = Text(payload[4..]);
                    break;
                case TraceFileSection.KernelSymbols:
                    file.Symbols = KernelSymbolTable.Parse(Text(payload));
                    break;
                default:
                    break; // unknown sections are skipped: newer writers may add some
            }
            at = start + (long)length;
        }
        if (headerPage is not null) file.Layout = RingBufferLayout.Parse(headerPage, headerEvent);
        if (file.Metadata.TryGetValue("page_size", out var size))
        {
            if (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var pageSize) || pageSize < file.Layout.DataOffset || pageSize > 1 << 24)
                throw new TraceFileFormatException(16, $"bad page_size '{size}'");
            file.PageSize = pageSize;
        }
        foreach (var (cpu, offset, length) in pageSections)
        {
            if (length % file.PageSize != 0) throw new TraceFileFormatException(offset, $"cpu {cpu} pages: {length} bytes is not a whole number of {file.PageSize}-byte pages");
            if (!file.pagesByCpu.TryGetValue(cpu, out var list)) file.pagesByCpu[cpu] = list = [];
            for (var p = 0; p < length; p += file.PageSize) list.Add((offset + p, file.PageSize));
        }
        return file;
    }

    private static string Text(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
