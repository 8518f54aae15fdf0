namespace Sharptrace.Tracing.Ftrace;

/// <summary>The kinds of sections of a sharptrace trace file (see docs/ftrace-file-format.md). Values are part of the format.</summary>
public enum TraceFileSection : uint
{
    /// <summary>UTF-8 "key=value" lines: page_size, cpus, clock, tracer, command, kernel, …</summary>
    Metadata = 1,

    /// <summary>The text of events/header_page.</summary>
    HeaderPage = 2,

    /// <summary>The text of events/header_event.</summary>
    HeaderEvent = 3,

    /// <summary>An event's system name, a newline, and the text of its format file.</summary>
    EventFormat = 4,

    /// <summary>u32 cpu, then whole ring-buffer pages of page_size bytes each, as read from trace_pipe_raw.</summary>
    CpuPages = 5,

    /// <summary>The text of saved_cmdlines ("pid comm" lines).</summary>
    Cmdlines = 6,

    /// <summary>u32 cpu, then the text of per_cpu/cpuN/stats at the end of the recording.</summary>
    CpuStats = 7,

    /// <summary>Kernel symbols ("address type name" lines, /proc/kallsyms text) for %ps and function events.</summary>
    KernelSymbols = 8,
}
