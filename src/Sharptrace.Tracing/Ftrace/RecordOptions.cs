namespace Sharptrace.Tracing.Ftrace;

/// <summary>What to record, in trace-cmd record's terms.</summary>
public sealed class RecordOptions
{
    /// <summary>Events to enable (-e), each with its filter (-f).</summary>
    public List<EventSelection> Events { get; } = [];

    /// <summary>The tracer (-p): function, function_graph, …; null or "nop" for events only.</summary>
    public string? Tracer { get; set; }

    /// <summary>Functions to trace (-l, set_ftrace_filter).</summary>
    public List<string> FunctionFilters { get; } = [];

    /// <summary>Functions not to trace (-n, set_ftrace_notrace).</summary>
    public List<string> FunctionNotrace { get; } = [];

    /// <summary>Graph entry functions (-g, set_graph_function).</summary>
    public List<string> GraphFunctions { get; } = [];

    /// <summary>Only these pids (-P): set_event_pid and set_ftrace_pid.</summary>
    public List<int> Pids { get; } = [];

    /// <summary>Follow the children of traced pids (-c: event-fork and function-fork).</summary>
    public bool FollowChildren { get; set; }

    /// <summary>Per-CPU buffer size in KiB (-b); null keeps the default.</summary>
    public int? BufferKb { get; set; }

    /// <summary>Use the top-level buffer instead of a private instance (restoring what we change).</summary>
    public bool TopLevel { get; set; }
}
