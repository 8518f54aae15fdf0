using System.Buffers.Binary;
using Sharptrace.Bpf.Readers;
using Sharptrace.Kernel;
using Sharptrace.Kernel.Uapi;
using Sharptrace.Tests.Support;

namespace Sharptrace.Tests.Readers;

/// <summary>The shared perf ring cursor on full samples: variable-size records through a one-page ring, every one whole across many wraps.</summary>
public sealed class PerfRingCursorTests
{
    [Fact]
    public void VariableSizeSamplesComeOutWholeAcrossManyWraps()
    {
        Require.Root();
        // cpu-clock every 50 µs of this thread with its call chain (IP|TID|TIME|CALLCHAIN): sizes vary with the stack depth.
        var attr = new PerfEventAttr
        {
            Type = PerfType.Software,
            Config = (ulong)PerfSoftwareEvent.CpuClock,
            SampleType = PerfSampleType.Ip | PerfSampleType.Tid | PerfSampleType.Time | PerfSampleType.Callchain,
            SamplePeriodOrFreq = 50_000,
            Flags = PerfEventFlags.Disabled | PerfEventFlags.ExcludeHv,
            WakeupEventsOrWatermark = 1,
        };
        using var fd = PerfEvent.Open(ref attr, pid: 0, cpu: -1, "cpu-clock on this thread");
        using var cursor = new PerfRingCursor(fd, pages: 1, "test ring");
        var samples = 0;
        long bytes = 0;
        var sizes = new HashSet<int>();
        PerfEvent.Enable(fd);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.ElapsedMilliseconds < 1500 && bytes < 64 * 4096)
        {
            var spin = System.Diagnostics.Stopwatch.StartNew();
            while (spin.Elapsed.TotalMilliseconds < 2) { }
            cursor.Drain(record =>
            {
                var type = BinaryPrimitives.ReadUInt32LittleEndian(record);
                var size = BinaryPrimitives.ReadUInt16LittleEndian(record[6..]);
                Assert.Equal(record.Length, size);
                bytes += size;
                if (type != 9) return; // PERF_RECORD_SAMPLE; a THROTTLE record may come too
                // header 8, ip 8, pid/tid 8, time 8, nr 8, then nr addresses: the record is exactly that long.
                var frames = BinaryPrimitives.ReadUInt64LittleEndian(record[32..]);
                Assert.Equal(40 + 8 * (int)frames, size);
                Assert.Equal(Syscall.ProcessId, BinaryPrimitives.ReadInt32LittleEndian(record[16..]));
                sizes.Add(size);
                samples++;
            });
        }
        Assert.True(bytes > 8 * 4096, $"only {bytes} bytes went through the one-page ring");
        Assert.True(samples > 100, $"{samples} samples");
    }
}
