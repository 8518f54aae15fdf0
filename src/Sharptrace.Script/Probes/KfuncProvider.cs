using Sharptrace.Bpf.Btf;
using Sharptrace.Bpf.Programs;
using Sharptrace.Kernel;
using Sharptrace.Script.Semantics;
using Sharptrace.Script.Syntax.Ast;

namespace Sharptrace.Script.Probes;

/// <summary>
/// kfunc:FUNCTION and kretfunc:FUNCTION (aliases f: and fr:): fentry/fexit tracing programs on a
/// kernel function found in vmlinux BTF, whose prototype types args->NAME and retval. Wildcards
/// match BTF functions that ftrace can trace (available_filter_functions, when readable).
/// </summary>
internal sealed class KfuncProvider(bool isReturn) : IProbeProvider
{
    public IReadOnlyList<string> Names { get; } = isReturn ? ["kretfunc", "fr"] : ["kfunc", "f"];

    public IEnumerable<ResolvedProbe> Resolve(AttachPointNode node, string[] parts)
    {
        // Only vmlinux functions: a module's BTF is not looked up.
        var target = ProbeProviders.KernelFunctionPart(node, parts, "vfs_read");
        var spec = KernelTypes.Spec ?? throw ProbeProviders.Error(node, $"{Names[0]} probes need the kernel's BTF ({BtfSpec.KernelBtfPath} is missing)");
        var kind = isReturn ? ProbeKind.Kretfunc : ProbeKind.Kfunc;
        var functions = ProbeProviders.HasWildcard(target) ? Matching(spec, target) : [target];
        if (functions.Count == 0) throw ProbeProviders.Error(node, $"no kernel function in BTF matches '{target}'");
        var found = new List<ResolvedProbe>();
        foreach (var function in functions)
        {
            TracingTarget tracing;
            try { tracing = TracingTarget.Find(spec, function); }
            catch (KernelException) { throw ProbeProviders.Error(node, $"no kernel function '{function}' in BTF: it cannot be traced with {Names[0]} (inlined or static?); try kprobe:{function}"); }
            found.Add(new ResolvedProbe(kind, $"{Names[0]}:{function}", "", function) { Tracing = tracing });
        }
        return found;
    }

    /// <summary>BTF functions matching <paramref name="pattern"/>, limited to those ftrace can trace when the kernel says which.</summary>
    public static List<string> Matching(BtfSpec spec, string pattern)
    {
        var traceable = KprobeProvider.KernelFunctions().ToHashSet(StringComparer.Ordinal);
        return [.. spec.Types.Where(t => t.Kind == BtfKind.Func).Select(t => t.Name)
            .Where(name => ProbeProviders.Matches(pattern, name) && (traceable.Count == 0 || traceable.Contains(name)))
            .Distinct().Order(StringComparer.Ordinal)];
    }

    /// <summary>The arguments as bpftrace -lv shows them ("    struct file * file"), then the return value ("    int retval").</summary>
    public static IEnumerable<string> Describe(TracingTarget target)
    {
        var spec = target.Prototype.Spec;
        foreach (var param in target.Prototype.Params)
            if (!param.IsVariadic) yield return $"    {spec.FormatType(param.TypeId)} {param.Name}";
        if (target.Prototype.ReferencedTypeId != 0) yield return $"    {spec.FormatType(target.Prototype.ReferencedTypeId)} retval";
    }

    public IDisposable? Attach(BpfProgram program, ResolvedProbe probe, int pid) => Bpf.Links.Attach.Tracing(program, probe.Function);
}
