using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Sharptrace.Tracing.Symbols;


namespace Sharptrace.Tracing.Perf;

/// <summary>
/// Builds the records the kernel does not send for things that existed before recording began, as
/// perf record synthesizes them: the kernel text map, and COMM + MMAP2 of the executable mappings of
/// processes already running (-p, -a). Each ends with the sample_id trailer (pid/tid, time 0, cpu 0)
/// that sample_id_all promises for sample types IP|TID|TIME|CPU|PERIOD[|CALLCHAIN].
/// </summary>
public static class SyntheticRecords
{
    private const int TrailerSize = 24;

    /// <summary>PERF_RECORD_MMAP for "[kernel.kallsyms]_text" at the kernel's _text, so kernel addresses resolve.</summary>
    public static byte[]? KernelMap(ulong textAddress)
    {
        if (textAddress == 0) return null;
        var name = PaddedName("[kernel.kallsyms]_text");
        var bytes = new byte[8 + 8 + 24 + name.Length + TrailerSize];
        var s = Header(bytes, PerfRecordType.Mmap, PerfRecordMisc.Kernel);
        BinaryPrimitives.WriteInt32LittleEndian(s[8..], -1);
        BinaryPrimitives.WriteInt32LittleEndian(s[12..], 0);
        BinaryPrimitives.WriteUInt64LittleEndian(s[16..], textAddress);
        BinaryPrimitives.WriteUInt64LittleEndian(s[24..], ulong.MaxValue - textAddress);
        BinaryPrimitives.WriteUInt64LittleEndian(s[32..], textAddress);
        name.CopyTo(s[40..]);
        Trailer(s[(40 + name.Length)..], -1, 0);
        return bytes;
    }

    /// <summary>PERF_RECORD_COMM naming thread <paramref name="tid"/> of <paramref name="pid"/>.</summary>
    public static byte[] Comm(int pid, int tid, string comm)
    {
        var name = PaddedName(comm);
        var bytes = new byte[8 + 8 + name.Length + TrailerSize];
        var s = Header(bytes, PerfRecordType.Comm, 0);
        BinaryPrimitives.WriteInt32LittleEndian(s[8..], pid);
        BinaryPrimitives.WriteInt32LittleEndian(s[12..], tid);
        name.CopyTo(s[16..]);
        Trailer(s[(16 + name.Length)..], pid, tid);
        return bytes;
    }

    /// <summary>PERF_RECORD_MMAP2 of one mapping of <paramref name="pid"/>.</summary>
    public static byte[] Mmap2(int pid, int tid, ulong start, ulong length, ulong fileOffset, uint major, uint minor, ulong inode, uint prot, string path)
    {
        var name = PaddedName(path);
        var bytes = new byte[8 + 64 + name.Length + TrailerSize];
        var s = Header(bytes, PerfRecordType.Mmap2, PerfRecordMisc.User);
        BinaryPrimitives.WriteInt32LittleEndian(s[8..], pid);
        BinaryPrimitives.WriteInt32LittleEndian(s[12..], tid);
        BinaryPrimitives.WriteUInt64LittleEndian(s[16..], start);
        BinaryPrimitives.WriteUInt64LittleEndian(s[24..], length);
        BinaryPrimitives.WriteUInt64LittleEndian(s[32..], fileOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(s[40..], major);
        BinaryPrimitives.WriteUInt32LittleEndian(s[44..], minor);
        BinaryPrimitives.WriteUInt64LittleEndian(s[48..], inode);
        BinaryPrimitives.WriteUInt64LittleEndian(s[56..], 0); // ino_generation
        BinaryPrimitives.WriteUInt32LittleEndian(s[64..], prot);
        BinaryPrimitives.WriteUInt32LittleEndian(s[68..], 2); // MAP_PRIVATE
        name.CopyTo(s[72..]);
        Trailer(s[(72 + name.Length)..], pid, tid);
        return bytes;
    }

    /// <summary>COMM of every thread and MMAP2 of every executable mapping of <paramref name="pid"/>, read from /proc.</summary>
    public static IEnumerable<byte[]> ForProcess(int pid)
    {
        var records = new List<byte[]>();
        try
        {
            foreach (var taskDir in Directory.GetDirectories($"/proc/{pid}/task"))
            {
                var tid = int.Parse(Path.GetFileName(taskDir), CultureInfo.InvariantCulture);
                records.Add(Comm(pid, tid, File.ReadAllText(Path.Combine(taskDir, "comm")).TrimEnd('\n')));
            }
            foreach (var line in File.ReadLines($"/proc/{pid}/maps"))
            {
                if (ProcessMapsLine.TryParse(line, out var map) && map.Executable && map.Path.Length > 0)
                    records.Add(Mmap2(pid, pid, map.Start, map.End - map.Start, map.FileOffset, map.Major, map.Minor, map.Inode, 1 | 4, map.Path));
            }
        }
        catch (IOException) { } // the process ended while we read it: what we have is still useful
        catch (UnauthorizedAccessException) { }
        return records;
    }

    /// <summary>Synthesized records of every process (perf record -a).</summary>
    public static IEnumerable<byte[]> ForAllProcesses()
    {
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                foreach (var record in ForProcess(pid)) yield return record;
        }
    }

    private static Span<byte> Header(byte[] bytes, PerfRecordType type, ushort misc)
    {
        var s = bytes.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(s, (uint)type);
        BinaryPrimitives.WriteUInt16LittleEndian(s[4..], misc);
        BinaryPrimitives.WriteUInt16LittleEndian(s[6..], (ushort)bytes.Length);
        return s;
    }

    private static void Trailer(Span<byte> s, int pid, int tid)
    {
        BinaryPrimitives.WriteInt32LittleEndian(s, pid);
        BinaryPrimitives.WriteInt32LittleEndian(s[4..], tid);
        BinaryPrimitives.WriteUInt64LittleEndian(s[8..], 0);
        BinaryPrimitives.WriteUInt64LittleEndian(s[16..], 0);
    }

    private static byte[] PaddedName(string name)
    {
        var utf8 = Encoding.UTF8.GetBytes(name);
        var bytes = new byte[(utf8.Length + 1 + 7) / 8 * 8];
        utf8.CopyTo(bytes, 0);
        return bytes;
    }
}
