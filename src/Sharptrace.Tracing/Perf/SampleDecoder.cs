using System.Buffers.Binary;
using Sharptrace.Kernel.Uapi;

namespace Sharptrace.Tracing.Perf;

/// <summary>Pulls pid and IP out of raw SAMPLE records straight from a ring (for live views that keep no file).</summary>
public sealed class SampleDecoder(PerfSampleType sampleType)
{
    /// <summary>True for a SAMPLE record carrying IP and TID; gives its pid and IP.</summary>
    public bool TryDecode(ReadOnlySpan<byte> record, out int pid, out ulong ip)
    {
        pid = 0;
        ip = 0;
        if (record.Length < 8 || BinaryPrimitives.ReadUInt32LittleEndian(record) != (uint)PerfRecordType.Sample) return false;
        if ((sampleType & PerfSampleType.Ip) == 0 || (sampleType & PerfSampleType.Tid) == 0) return false;
        var at = 8 + ((sampleType & PerfSampleType.Identifier) != 0 ? 8 : 0);
        if (record.Length < at + 16) return false;
        ip = BinaryPrimitives.ReadUInt64LittleEndian(record[at..]);
        pid = BinaryPrimitives.ReadInt32LittleEndian(record[(at + 8)..]);
        return true;
    }
}
