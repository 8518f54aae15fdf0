using Sharptrace.Tracing.Symbols;

namespace Sharptrace.Tracing.Perf;

/// <summary>A sample with its process name and its stack resolved, leaf first.</summary>
public sealed record ProfileSample(string Comm, int Pid, int Tid, int Cpu, ulong Period, ResolvedSymbol[] Frames);
