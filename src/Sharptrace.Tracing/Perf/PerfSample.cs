namespace Sharptrace.Tracing.Perf;

/// <summary>
/// One PERF_RECORD_SAMPLE, decoded. <see cref="CallChain"/> holds the addresses leaf first, with
/// the PERF_CONTEXT_* markers removed; when the sample has no call chain it holds just the IP.
/// </summary>
public sealed record PerfSample(int Pid, int Tid, ulong Time, int Cpu, ulong Period, ulong Ip, bool InKernel, ulong[] CallChain)
{
    /// <summary>The event's id (PERF_SAMPLE_IDENTIFIER or ID), 0 when the file does not record it.</summary>
    public ulong Id { get; init; }
}
