using Sharptrace.Bpf.Programs;
using Sharptrace.Script.Syntax.Ast;

namespace Sharptrace.Script.Probes;

/// <summary>BEGIN and END: run once by the runtime itself (BPF_PROG_TEST_RUN), attached nowhere.</summary>
internal sealed class BeginEndProvider : IProbeProvider
{
    public IReadOnlyList<string> Names { get; } = ["BEGIN", "END"];

    public IEnumerable<ResolvedProbe> Resolve(AttachPointNode node, string[] parts)
    {
        if (parts.Length != 1) throw ProbeProviders.Error(node, $"{parts[0]} takes no arguments");
        yield return new ResolvedProbe(parts[0] == "BEGIN" ? ProbeKind.Begin : ProbeKind.End, parts[0], "", "");
    }

    public IDisposable? Attach(BpfProgram program, ResolvedProbe probe, int pid) => null;
}
