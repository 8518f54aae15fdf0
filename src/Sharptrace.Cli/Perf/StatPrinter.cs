using System.Globalization;
using Sharptrace.Tracing.Perf;

namespace Sharptrace.Cli.Perf;

/// <summary>
/// Prints counts in perf stat's layout (to stderr, as perf does): value right-aligned in 18
/// columns, unit, event name in 32, then "# metric" (CPUs utilized, K/sec); or perf's CSV with -x.
/// </summary>
internal sealed class StatPrinter(TextWriter output, string? separator)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public void PrintIntervalHeader()
    {
        if (separator is null) output.WriteLine("#           time             counts unit events");
    }

    public void PrintInterval(TimeSpan at, IReadOnlyList<Counter> counters, CounterReading[] deltas, TimeSpan interval)
    {
        var taskClockNs = TaskClockNs(counters.Select(c => c.Spec).ToArray(), deltas);
        for (var i = 0; i < counters.Count; i++)
        {
            var time = at.TotalSeconds.ToString("F9", Invariant);
            var line = Line(counters[i].Spec, counters[i].UnsupportedReason, deltas[i], null, taskClockNs, interval.TotalNanoseconds);
            output.WriteLine(separator is null ? $"{time,16} {line}".TrimEnd() : $"{time}{separator}{line}");
        }
    }

    public void PrintSummary(IReadOnlyList<StatRun> runs)
    {
        if (runs.Count == 0 || runs[^1].WasInterval) return;
        var first = runs[0];
        var mean = new CounterReading[first.Events.Length];
        var variation = new double?[first.Events.Length];
        for (var e = 0; e < first.Events.Length; e++)
        {
            var values = runs.Select(r => r.Readings[e].ScaledCount).ToArray();
            var sum = runs.Aggregate(default(CounterReading), (total, r) => total + r.Readings[e]);
            mean[e] = new CounterReading((ulong)Math.Round(values.Average()), sum.TimeEnabled / (ulong)runs.Count, sum.TimeRunning / (ulong)runs.Count);
            variation[e] = runs.Count > 1 ? RelativeStdDevOfMean(values) : null;
        }
        var elapsed = runs.Select(r => r.Elapsed.TotalSeconds).ToArray();
        var taskClockNs = TaskClockNs(first.Events, mean);
        if (separator is null)
        {
            output.WriteLine();
            output.WriteLine($" Performance counter stats for {first.Target}{(runs.Count > 1 ? $" ({runs.Count} runs)" : "")}:");
            output.WriteLine();
        }
        if (first.PerCpu is { } perCpu) PrintPerCpu(first, perCpu, elapsed[0] * 1e9);
        else
            for (var e = 0; e < first.Events.Length; e++)
                output.WriteLine(Line(first.Events[e], first.Unsupported[e], mean[e], variation[e], taskClockNs, elapsed.Average() * 1e9).TrimEnd());
        if (separator is not null) return;
        output.WriteLine();
        if (runs.Count > 1)
        {
            var spread = StdDevOfMean(elapsed);
            output.WriteLine($"{elapsed.Average().ToString("F6", Invariant),18} +- {spread.ToString("F6", Invariant)} seconds time elapsed  ( +-{Percent(RelativeStdDevOfMean(elapsed))}% )");
        }
        else
        {
            output.WriteLine($"{elapsed[0].ToString("F9", Invariant),18} seconds time elapsed");
            if (first.CpuTimes is var (user, system))
            {
                output.WriteLine();
                output.WriteLine($"{user.TotalSeconds.ToString("F9", Invariant),18} seconds user");
                output.WriteLine($"{system.TotalSeconds.ToString("F9", Invariant),18} seconds sys");
            }
        }
        output.WriteLine();
    }

    // perf stat -A: "CPU0" in front of each line (a CSV field with -x); rates use that CPU's own task-clock.
    private void PrintPerCpu(StatRun run, SortedDictionary<int, CounterReading>[] perCpu, double wallNs)
    {
        var cpus = perCpu.SelectMany(p => p.Keys).Distinct().Order().ToArray();
        for (var e = 0; e < run.Events.Length; e++)
        {
            foreach (var cpu in cpus)
            {
                var readings = perCpu.Select(p => p.GetValueOrDefault(cpu)).ToArray();
                var label = $"CPU{cpu}";
                var line = Line(run.Events[e], run.Unsupported[e], readings[e], null, TaskClockNs(run.Events, readings), wallNs);
                output.WriteLine((separator is null ? label.PadRight(11) + line : label + separator + line).TrimEnd());
            }
        }
    }

    /// <summary>One event's line: the value column, unit, name and its metric.</summary>
    private string Line(EventSpec spec, string? unsupported, CounterReading reading, double? variation, double? taskClockNs, double wallNs)
    {
        string value, unit = spec.IsClock ? "msec" : "";
        (double Value, string Unit)? metric = null;
        var counted = unsupported is null && !reading.NeverRan;
        if (unsupported is not null) value = "<not supported>";
        else if (reading.NeverRan) value = "<not counted>";
        else if (spec.IsClock)
        {
            value = (reading.ScaledCount / 1e6).ToString("F2", Invariant);
            if (wallNs > 0) metric = (reading.ScaledCount / wallNs, "CPUs utilized");
        }
        else
        {
            value = Math.Round(reading.ScaledCount).ToString("F0", Invariant);
            if (taskClockNs is > 0) metric = Rate(reading.ScaledCount / (taskClockNs.Value / 1e9));
        }
        var multiplexed = counted && reading.TimeRunning < reading.TimeEnabled;
        if (separator is not null)
        {
            var fields = new List<string> { value, unit, spec.Name };
            if (variation is double v) fields.Add($"{Percent(v).Trim()}%");
            fields.Add(counted ? reading.TimeRunning.ToString(Invariant) : "0");
            fields.Add(reading.RunningPercent.ToString("F2", Invariant));
            fields.Add(metric is var (mv, mu) ? mv.ToString("F3", Invariant) : "");
            fields.Add(metric?.Unit ?? "");
            return string.Join(separator, fields);
        }
        var line = $"{value,18} {unit,-4} {spec.Name,-32}";
        line += metric is var (m, u) ? $" # {m.ToString("F3", Invariant),8} {u,-28}" : new string(' ', 40);
        if (variation is double variance) line += $"  ( +-{Percent(variance)}% )";
        if (multiplexed) line += $"  ({reading.RunningPercent.ToString("F2", Invariant)}%)";
        return line;
    }

    private static double? TaskClockNs(EventSpec[] events, CounterReading[] readings)
    {
        for (var i = 0; i < events.Length; i++)
            if (events[i].IsClock && readings[i].TimeRunning > 0) return readings[i].ScaledCount;
        return null;
    }

    private static (double, string) Rate(double perSecond) => perSecond switch
    {
        >= 1e9 => (perSecond / 1e9, "G/sec"),
        >= 1e6 => (perSecond / 1e6, "M/sec"),
        >= 1e3 => (perSecond / 1e3, "K/sec"),
        _ => (perSecond, "/sec"),
    };

    private static string Percent(double value) => value.ToString("F2", Invariant).PadLeft(6);

    private static double StdDevOfMean(double[] values)
    {
        if (values.Length < 2) return 0;
        var mean = values.Average();
        var variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
        return Math.Sqrt(variance / values.Length);
    }

    private static double RelativeStdDevOfMean(double[] values)
    {
        var mean = values.Average();
        return mean == 0 ? 0 : 100 * StdDevOfMean(values) / mean;
    }
}
