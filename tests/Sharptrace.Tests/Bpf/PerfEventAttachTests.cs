using System.Diagnostics;
using Sharptrace.Bpf.Links;
using Sharptrace.Bpf.Maps;
using Sharptrace.Bpf.Programs;
using Sharptrace.Kernel.Uapi;
using Sharptrace.Tests.Support;

namespace Sharptrace.Tests.Bpf;

public class PerfEventAttachTests
{
    [Fact]
    public void CpuClockSamplingOfABusyChildFiresAtTheAskedFrequency()
    {
        Require.Root();
        using var counts = BpfMap.Create(MapSpec.Hash("samples", 4, 8, 1024));
        using var program = BpfProgram.Load(new ProgramSpec("count_samples", BpfProgramType.PerfEvent, TestPrograms.CountPerProcess(counts)));
        // A child that spins for a known CPU time; sampling only it makes the count independent of machine load.
        using var busy = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "while :; do :; done"]) { UseShellExecute = false })!;
        try
        {
            var watch = Stopwatch.StartNew();
            using (Attach.SoftwareEventOnEachCpu(program, PerfSoftwareEvent.TaskClock, frequencyHz: 200, pid: busy.Id))
                Thread.Sleep(1000);
            var cpuSeconds = ReadCpuSeconds(busy.Id);
            Assert.True(counts.TryLookup(busy.Id, out long samples), "no samples of the busy child");
            // 200 Hz of task-clock over the child's CPU time (frequency mode adapts, so allow slack).
            Assert.InRange(samples, 100 * Math.Min(cpuSeconds, watch.Elapsed.TotalSeconds) * 0.5, 200 * watch.Elapsed.TotalSeconds * 1.3);
        }
        finally
        {
            busy.Kill();
        }
    }

    [Fact]
    public void CpuClockOnEveryCpuAttachesOneLinkPerOnlineCpu()
    {
        Require.Root();
        using var counts = BpfMap.Create(MapSpec.Hash("samples", 4, 8, 4096));
        using var program = BpfProgram.Load(new ProgramSpec("count_samples", BpfProgramType.PerfEvent, TestPrograms.CountPerProcess(counts)));
        using var links = Attach.SoftwareEventOnEachCpu(program, PerfSoftwareEvent.CpuClock, frequencyHz: 99);
        Assert.Equal(PossibleCpus.Online.Count, links.Links.Count);
        Thread.Sleep(300);
        // cpu-clock ticks whether or not anything runs: at 99 Hz on each CPU, samples arrive within 300 ms.
        Assert.NotEmpty(counts.Entries());
    }

    private static double ReadCpuSeconds(int pid)
    {
        var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0; // utime + stime in clock ticks
    }
}
