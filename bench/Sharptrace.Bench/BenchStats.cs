using System.Diagnostics;

namespace Sharptrace.Bench;

/// <summary>Runs an action repeatedly and reports min/median wall time and bytes allocated per run.</summary>
internal static class BenchStats
{
    public static (double MinMs, double MedianMs, long AllocatedBytes) Measure(int runs, Action action)
    {
        action(); // warm-up: JIT and first-touch page faults are not what we measure
        var times = new double[runs];
        long allocated = 0;
        for (var i = 0; i < runs; i++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            action();
            times[i] = clock.Elapsed.TotalMilliseconds;
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Array.Sort(times);
        return (times[0], times[runs / 2], allocated);
    }

    public static string Format(string what, (double MinMs, double MedianMs, long AllocatedBytes) result) =>
        $"{what,-40} min {result.MinMs,8:F2} ms   median {result.MedianMs,8:F2} ms   allocated {result.AllocatedBytes / 1024.0,10:F1} KiB";
}
