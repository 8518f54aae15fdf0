using System.Buffers.Binary;
using System.Text;
using Sharptrace.Tracing.Symbols;

namespace Sharptrace.Tracing.Perf;

/// <summary>
/// The samples of a perf.data file with their stacks resolved. Records are replayed in time order
/// (the rings of different CPUs were drained in turns, so file order is not time order), so that
/// each sample is resolved against the mappings and names its process had at that moment.
/// </summary>
public sealed class Profile
{
    private Profile(List<ProfileSample> samples, ulong lost, string eventName, bool truncated)
    {
        Samples = samples;
        Lost = lost;
        EventName = eventName;
        Truncated = truncated;
    }

    /// <summary>The resolved samples.</summary>
    public IReadOnlyList<ProfileSample> Samples { get; }

    /// <summary>Records the kernel reported lost (PERF_RECORD_LOST).</summary>
    public ulong Lost { get; }

    /// <summary>The event sampled ("cpu-clock").</summary>
    public string EventName { get; }

    /// <summary>True when the file ended early; the samples are what could be read.</summary>
    public bool Truncated { get; }

    /// <summary>Sum of the sample periods (perf's "Event count").</summary>
    public ulong TotalPeriod => Samples.Aggregate(0UL, (sum, s) => sum + s.Period);

    /// <summary>
    /// Loads and resolves the samples of event <paramref name="eventIndex"/> (an index into the
    /// file's attrs) of <paramref name="reader"/> with <paramref name="symbolizer"/> (a recorded-mappings one).
    /// </summary>
    public static Profile Load(PerfDataReader reader, Symbolizer symbolizer, int eventIndex = 0)
    {
        var ordered = new List<(ulong Time, int Index, PerfRecordView Record)>();
        var index = 0;
        foreach (var record in reader.Records())
        {
            var time = record.Type == PerfRecordType.Sample ? reader.DecodeSample(record)?.Time ?? 0 : reader.TrailerTime(record);
            ordered.Add((time, index++, record));
        }
        ordered.Sort((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Index.CompareTo(b.Index));

        var comms = new Dictionary<int, string>();
        var samples = new List<ProfileSample>();
        ulong lost = 0;
        foreach (var (_, _, record) in ordered)
        {
            var s = record.Bytes.Span;
            switch (record.Type)
            {
                case PerfRecordType.Comm when s.Length >= 17:
                {
                    var pid = BinaryPrimitives.ReadInt32LittleEndian(s[8..]);
                    var tid = BinaryPrimitives.ReadInt32LittleEndian(s[12..]);
                    if ((record.Misc & PerfRecordMisc.CommExec) != 0 && pid == tid) symbolizer.Exec(pid);
                    comms[tid] = CString(s[16..]);
                    break;
                }
                case PerfRecordType.Fork when s.Length >= 24:
                {
                    var pid = BinaryPrimitives.ReadInt32LittleEndian(s[8..]);
                    var ppid = BinaryPrimitives.ReadInt32LittleEndian(s[12..]);
                    var tid = BinaryPrimitives.ReadInt32LittleEndian(s[16..]);
                    var ptid = BinaryPrimitives.ReadInt32LittleEndian(s[20..]);
                    if (pid != ppid) symbolizer.Fork(ppid, pid);
                    if (comms.TryGetValue(ptid, out var parentComm)) comms[tid] = parentComm;
                    break;
                }
                case PerfRecordType.Mmap when s.Length > 40:
                {
                    var pid = BinaryPrimitives.ReadInt32LittleEndian(s[8..]);
                    if (pid == -1) break; // the kernel map: kernel addresses resolve through kallsyms
                    symbolizer.AddMapping(pid, BinaryPrimitives.ReadUInt64LittleEndian(s[16..]), BinaryPrimitives.ReadUInt64LittleEndian(s[24..]),
                        BinaryPrimitives.ReadUInt64LittleEndian(s[32..]), CString(s[40..]));
                    break;
                }
                case PerfRecordType.Mmap2 when s.Length > 72:
                {
                    var pid = BinaryPrimitives.ReadInt32LittleEndian(s[8..]);
                    if (pid == -1) break;
                    symbolizer.AddMapping(pid, BinaryPrimitives.ReadUInt64LittleEndian(s[16..]), BinaryPrimitives.ReadUInt64LittleEndian(s[24..]),
                        BinaryPrimitives.ReadUInt64LittleEndian(s[32..]), CString(s[72..]));
                    break;
                }
                case PerfRecordType.Lost when s.Length >= 24:
                    lost += BinaryPrimitives.ReadUInt64LittleEndian(s[16..]);
                    break;
                case PerfRecordType.Sample:
                {
                    if (reader.DecodeSample(record) is not { } sample) break;
                    if (reader.Attrs.Count > 1 && reader.EventIndexOf(sample.Id) != eventIndex) break;
                    var frames = new ResolvedSymbol[sample.CallChain.Length];
                    for (var i = 0; i < frames.Length; i++)
                    {
                        // Return addresses point after the call: look one byte back so a call at a
                        // function's very end is not credited to the next function.
                        var address = sample.CallChain[i];
                        frames[i] = symbolizer.Resolve(sample.Pid, i == 0 ? address : address - 1);
                        if (i > 0 && frames[i].HasName) frames[i] = frames[i] with { Offset = frames[i].Offset + 1 };
                        else if (i > 0 && frames[i].Address != 0) frames[i] = frames[i] with { Address = frames[i].Address + 1 };
                    }
                    var comm = comms.TryGetValue(sample.Tid, out var name) ? name : comms.TryGetValue(sample.Pid, out var processName) ? processName : $":{sample.Pid}";
                    samples.Add(new ProfileSample(comm, sample.Pid, sample.Tid, sample.Cpu, sample.Period, frames));
                    break;
                }
            }
        }
        var eventName = eventIndex < reader.EventNames.Count ? reader.EventNames[eventIndex] : DefaultEventName(reader, eventIndex);
        return new Profile(samples, lost, eventName, reader.Truncated);
    }

    private static string DefaultEventName(PerfDataReader reader, int eventIndex)
    {
        var attr = reader.Attrs[Math.Min(eventIndex, reader.Attrs.Count - 1)].Attr;
        return attr.Type == Sharptrace.Kernel.Uapi.PerfType.Software && attr.Config == 0 ? "cpu-clock" : $"event {attr.Type}:{attr.Config}";
    }

    private static string CString(ReadOnlySpan<byte> bytes)
    {
        var nul = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul < 0 ? bytes : bytes[..nul]);
    }
}
