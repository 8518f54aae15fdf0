using Sharptrace.Kernel.Uapi;

namespace Sharptrace.Tracing.Perf;

/// <summary>One event of a sampling session or perf.data file: what it is, the attr it was opened with, and the kernel's ids of its fds.</summary>
public sealed record SampledEvent(EventSpec Spec, PerfEventAttr Attr, IReadOnlyList<ulong> Ids);
