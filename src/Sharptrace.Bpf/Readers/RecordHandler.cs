namespace Sharptrace.Bpf.Readers;

/// <summary>Receives one record's payload; the span is only valid during the call.</summary>
public delegate void RecordHandler(ReadOnlySpan<byte> record);

/// <summary>Receives one perf buffer sample's raw payload from <paramref name="cpu"/>; the span is only valid during the call.</summary>
public delegate void CpuRecordHandler(int cpu, ReadOnlySpan<byte> record);
