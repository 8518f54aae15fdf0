using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Sharptrace.Bpf.Maps;
using Sharptrace.Kernel;
using Sharptrace.Kernel.Uapi;

namespace Sharptrace.Bpf.Readers;

/// <summary>
/// Reads the per-CPU perf rings behind a BPF_MAP_TYPE_PERF_EVENT_ARRAY (bpf_perf_event_output):
/// one PERF_COUNT_SW_BPF_OUTPUT event per online CPU, each mmap'ed and stored in the map at its
/// CPU's index. PERF_RECORD_LOST records are counted in <see cref="Lost"/>, never dropped silently.
/// </summary>
/// <remarks>
/// The kernel writes a ring's PERF_RECORD_LOST only in front of the next sample that fits in that
/// ring, so drops at the very end of a burst show in <see cref="Lost"/> only once that CPU outputs
/// again. Samples' payloads keep the kernel's padding: a raw sample is padded so that its 4-byte
/// size plus the data is a multiple of 8, and the padding bytes come after the program's data.
/// </remarks>
public sealed class PerfBufferReader : IDisposable
{
    private const uint RecordLost = 2;
    private const uint RecordSample = 9;
    private const int PumpPollMs = 50;

    private readonly List<CpuRing> rings = [];
    private readonly Epoll epoll;

    /// <summary>
    /// Opens a ring of <paramref name="pagesPerCpu"/> pages (a power of two) on each online CPU and
    /// installs them in <paramref name="map"/>; the reader does not own the map.
    /// </summary>
    /// <param name="map">The BPF_MAP_TYPE_PERF_EVENT_ARRAY the program outputs to.</param>
    /// <param name="pagesPerCpu">Ring size per CPU in pages, a power of two.</param>
    /// <param name="wakeupEvents">
    /// Samples per wakeup of <see cref="Poll"/>. Each wakeup costs the producing CPU an irq_work
    /// interrupt inside the traced code path (measured here: 1 caps a getppid loop near 100k events/s,
    /// 16 lets it reach about 700k); above 1, samples wait for the batch or the poll timeout, since
    /// <see cref="Poll"/> drains the rings when its wait ends either way.
    /// </param>
    public PerfBufferReader(BpfMap map, int pagesPerCpu = 64, int wakeupEvents = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(wakeupEvents, 1);
        if (map.Spec.Type != BpfMapType.PerfEventArray) throw new ArgumentException($"map '{map.Name}' is a {map.Spec.Type} map, not a perf event array");
        if (pagesPerCpu <= 0 || (pagesPerCpu & (pagesPerCpu - 1)) != 0) throw new ArgumentException("pages per CPU must be a power of two");
        epoll = new Epoll();
        try
        {
            foreach (var cpu in PossibleCpus.Online)
            {
                if (cpu >= map.Spec.MaxEntries) continue;
                var attr = new PerfEventAttr
                {
                    Type = PerfType.Software,
                    Config = (ulong)PerfSoftwareEvent.BpfOutput,
                    SampleType = PerfSampleType.Raw,
                    SamplePeriodOrFreq = 1,
                    WakeupEventsOrWatermark = (uint)wakeupEvents,
                };
                var fd = PerfEvent.Open(ref attr, pid: -1, cpu, $"perf buffer for map '{map.Name}' on cpu {cpu}");
                PerfRingCursor cursor;
                try
                {
                    cursor = new PerfRingCursor(fd, pagesPerCpu, $"perf ring of cpu {cpu}");
                }
                catch
                {
                    fd.Dispose();
                    throw;
                }
                var ring = new CpuRing(cpu, fd, cursor);
                rings.Add(ring);
                map.Update(cpu, fd.Value);
                epoll.Add(fd, (ulong)(rings.Count - 1));
                PerfEvent.Enable(fd);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Samples delivered so far.</summary>
    public long Delivered { get; private set; }

    /// <summary>Samples the kernel dropped because a ring was full (sum of PERF_RECORD_LOST counts).</summary>
    public long Lost { get; private set; }

    /// <summary>
    /// Drains every CPU's ring; returns how many samples were delivered. An exception from the
    /// handler propagates after its sample is consumed: the next call goes on with the sample after it.
    /// </summary>
    public int Consume(CpuRecordHandler handler)
    {
        var count = 0;
        foreach (var ring in rings) count += Drain(ring, handler);
        return count;
    }

    /// <summary>Makes <see cref="Poll"/> also return when <paramref name="fd"/> becomes readable (a pidfd: that process ended).</summary>
    public void WakeOn(KernelFd fd) => epoll.Add(fd, ulong.MaxValue);

    /// <summary>Waits up to <paramref name="timeoutMs"/> (-1: forever) for data, then drains the rings.</summary>
    public int Poll(int timeoutMs, CpuRecordHandler handler)
    {
        var delivered = Consume(handler);
        if (delivered > 0) return delivered;
        Span<ulong> ready = stackalloc ulong[16];
        epoll.Wait(ready, timeoutMs);
        return Consume(handler);
    }

    /// <summary>
    /// The samples as an asynchronous stream of (cpu, payload copy) until <paramref name="cancellation"/>
    /// fires, after which what is already committed is drained and the stream ends without throwing.
    /// Leaving the loop early stops the background poller; do not call <see cref="Consume"/> or
    /// <see cref="Poll"/> while a stream is being read.
    /// </summary>
    public IAsyncEnumerable<(int Cpu, byte[] Data)> ReadAllAsync(CancellationToken cancellation = default) =>
        PollingStream.ReadAllAsync<(int Cpu, byte[] Data)>(
            writer => Poll(PumpPollMs, (cpu, record) => writer.TryWrite((cpu, record.ToArray()))),
            writer => Consume((cpu, record) => writer.TryWrite((cpu, record.ToArray()))),
            cancellation);

    /// <summary>Delivers the ring's samples (raw payload after the u32 size) and counts its lost records.</summary>
    private int Drain(CpuRing ring, CpuRecordHandler handler)
    {
        var count = 0;
        ring.Cursor.Drain(record =>
        {
            var type = BitConverter.ToUInt32(record);
            if (type == RecordSample && record.Length >= 12)
            {
                var rawSize = BitConverter.ToUInt32(record[8..]);
                count++;
                Delivered++;
                handler(ring.Cpu, record.Slice(12, (int)Math.Min(rawSize, (uint)(record.Length - 12))));
            }
            else if (type == RecordLost && record.Length >= 24)
            {
                Lost += (long)BitConverter.ToUInt64(record[16..]);
            }
        });
        return count;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var ring in rings)
        {
            ring.Cursor.Dispose();
            ring.Fd.Dispose();
        }
        rings.Clear();
        epoll?.Dispose();
    }

    private sealed record CpuRing(int Cpu, KernelFd Fd, PerfRingCursor Cursor);
}
