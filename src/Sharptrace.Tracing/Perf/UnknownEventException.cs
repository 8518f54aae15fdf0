namespace Sharptrace.Tracing.Perf;

/// <summary>An event name (an ArgumentException: the user's input) that is neither a known software/hardware event, a tracepoint, nor a raw rNNN code.</summary>
public sealed class UnknownEventException(string name, string why)
    : ArgumentException($"event '{name}': {why} (see 'perf list' names: task-clock, page-faults, cycles, category:tracepoint, rHEX)")
{
    /// <summary>The name as given.</summary>
    public string EventName { get; } = name;
}
