using Sharptrace.Script.Probes;
using Sharptrace.Script.Syntax.Ast;
using Sharptrace.Tracing.TraceFs;

namespace Sharptrace.Tests.Script;

/// <summary>
/// Resolves attach points without looking at this machine's kernel, so semantic checks and fuzzing
/// run anywhere: kprobes and tracepoints become one probe each (tracepoints with the sys_enter_openat
/// layout), interval/profile/software go through their real (pure) providers. Shared by the tests and
/// by the script fuzzer in bench/ (linked there as a source file).
/// </summary>
internal static class OfflineProbes
{
    public static readonly EventFormat OpenatFormat = EventFormat.Parse("""
        name: sys_enter_openat
        ID: 1
        format:
        	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
        	field:int __syscall_nr;	offset:8;	size:4;	signed:1;
        	field:int dfd;	offset:16;	size:8;	signed:0;
        	field:const char * filename;	offset:24;	size:8;	signed:0;
        	field:char comm[16];	offset:32;	size:16;	signed:0;
        """);

    public static IEnumerable<ResolvedProbe> Resolve(AttachPointNode node)
    {
        var parts = node.Text.Split(':');
        if (parts[0] is "kprobe" or "kretprobe" && parts.Length != 2 || parts[0] == "tracepoint" && parts.Length != 3)
            throw ProbeProviders.Error(node, "bad attach point");
        return parts[0] switch
        {
            "BEGIN" => [new ResolvedProbe(ProbeKind.Begin, "BEGIN", "", "")],
            "END" => [new ResolvedProbe(ProbeKind.End, "END", "", "")],
            "kprobe" => [new ResolvedProbe(ProbeKind.Kprobe, node.Text, "", parts[1])],
            "kretprobe" => [new ResolvedProbe(ProbeKind.Kretprobe, node.Text, "", parts[1])],
            "tracepoint" => [new ResolvedProbe(ProbeKind.Tracepoint, node.Text, parts[1], parts[2]) { Format = OpenatFormat }],
            "interval" or "profile" or "i" or "p" or "software" or "s" => ProbeProviders.For(node, out var p).Resolve(node, p),
            // kfunc prototypes come from this machine's BTF (a file read, no bpf() call); wildcards are not expanded.
            "kfunc" or "kretfunc" or "f" or "fr" when parts.Length == 2 && !ProbeProviders.HasWildcard(parts[1]) && Sharptrace.Script.Semantics.KernelTypes.Spec is not null
                => ProbeProviders.For(node, out var k).Resolve(node, k),
            // Everything else is checked for its type only, never looked up on this machine.
            _ => [Other(node, ProbeProviders.For(node, out var q), q)],
        };
    }

    private static ResolvedProbe Other(AttachPointNode node, IProbeProvider provider, string[] parts)
    {
        if (parts.Length < 2) throw ProbeProviders.Error(node, "bad attach point");
        var kind = provider.Names[0] switch
        {
            "kprobe" => ProbeKind.Kprobe, "kretprobe" => ProbeKind.Kretprobe, "uprobe" => ProbeKind.Uprobe, "uretprobe" => ProbeKind.Uretprobe,
            "tracepoint" => ProbeKind.Tracepoint, "rawtracepoint" => ProbeKind.RawTracepoint, "hardware" => ProbeKind.Hardware,
            "kfunc" => ProbeKind.Kfunc, "kretfunc" => ProbeKind.Kretfunc, _ => ProbeKind.Begin,
        };
        return new ResolvedProbe(kind, node.Text, parts[1], parts[^1]) { Format = OpenatFormat };
    }
}
