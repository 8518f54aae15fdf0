namespace Sharptrace.Tracing.Perf;

/// <summary>
/// A counter's value with the times perf needs for multiplexing: when the PMU had to share its
/// counters, the event ran only <see cref="TimeRunning"/> of <see cref="TimeEnabled"/>, and the
/// count is scaled up the way perf stat does.
/// </summary>
public readonly record struct CounterReading(ulong RawCount, ulong TimeEnabled, ulong TimeRunning)
{
    /// <summary>True when the event never got onto the PMU (perf prints &lt;not counted&gt;).</summary>
    public bool NeverRan => TimeRunning == 0 && TimeEnabled > 0;

    /// <summary>The count scaled by enabled/running, as perf stat reports it.</summary>
    public double ScaledCount => TimeRunning == 0 || TimeRunning >= TimeEnabled ? RawCount : RawCount * (double)TimeEnabled / TimeRunning;

    /// <summary>The share of enabled time the event was counting, in percent (100 without multiplexing).</summary>
    public double RunningPercent => TimeEnabled == 0 ? 100 : 100.0 * TimeRunning / TimeEnabled;

    /// <summary>Sum of two readings (of one event on several CPUs or threads).</summary>
    public static CounterReading operator +(CounterReading a, CounterReading b) =>
        new(a.RawCount + b.RawCount, a.TimeEnabled + b.TimeEnabled, a.TimeRunning + b.TimeRunning);

    /// <summary>The change since <paramref name="earlier"/>, for interval (-I) printing.</summary>
    public CounterReading Since(CounterReading earlier) =>
        new(RawCount - earlier.RawCount, TimeEnabled - earlier.TimeEnabled, TimeRunning - earlier.TimeRunning);
}
