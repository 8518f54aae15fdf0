namespace Sharptrace.Tracing.Perf;

/// <summary>How to sample: which event, how often, and whether to take call chains (perf record -e/-F/-c/-g).</summary>
/// <param name="Event">The event; perf's default is cycles, which falls back to cpu-clock where there is no PMU.</param>
/// <param name="Frequency">Samples per second (-F), used when <paramref name="Period"/> is null.</param>
/// <param name="Period">A fixed sample period in event units (-c).</param>
/// <param name="CallChains">Record kernel and user call chains (frame pointers), -g.</param>
/// <param name="PagesPerCpu">Data pages per CPU ring (a power of two); perf's default is 128 (512 KiB).</param>
/// <param name="FallBackToCpuClock">When the event is the default "cycles" and the machine has no PMU, sample cpu-clock instead (perf's behaviour); an explicit -e cycles fails instead.</param>
/// <param name="OtherEvents">More events sampled at the same time (perf record -e a -e b), each its own attr in perf.data.</param>
public sealed record SamplingOptions(EventSpec Event, ulong Frequency = 4000, ulong? Period = null, bool CallChains = false, int PagesPerCpu = 128, bool FallBackToCpuClock = false,
    IReadOnlyList<EventSpec>? OtherEvents = null)
{
    /// <summary>Every event sampled, the first one first.</summary>
    public IReadOnlyList<EventSpec> AllEvents => [Event, .. OtherEvents ?? []];
}
