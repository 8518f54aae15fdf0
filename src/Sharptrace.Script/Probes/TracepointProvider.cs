using Sharptrace.Bpf.Links;
using Sharptrace.Bpf.Programs;
using Sharptrace.Kernel;
using Sharptrace.Script.Syntax.Ast;
using Sharptrace.Tracing.DynamicEvents;
using Sharptrace.Tracing.TraceFs;

namespace Sharptrace.Script.Probes;

/// <summary>tracepoint:CATEGORY:NAME, wildcards expanded from tracefs; args typed from the format file.</summary>
internal sealed class TracepointProvider : IProbeProvider
{
    public IReadOnlyList<string> Names { get; } = ["tracepoint", "t"];

    public IEnumerable<ResolvedProbe> Resolve(AttachPointNode node, string[] parts)
    {
        if (parts.Length != 3 || parts[1].Length == 0 || parts[2].Length == 0)
            throw ProbeProviders.Error(node, "tracepoint probes take a category and a name: tracepoint:syscalls:sys_enter_openat");
        var events = Path.Combine(TraceFs.Root, "events");
        var found = new List<ResolvedProbe>();
        foreach (var (category, name) in Expand(events, parts[1], parts[2]))
        {
            var formatPath = Path.Combine(events, category, name, "format");
            var format = File.Exists(formatPath) ? EventFormat.Parse(File.ReadAllText(formatPath), formatPath) : null;
            // kprobe/uprobe dynamic events (sharptrace probe -a, perf probe) hand BPF the registers, not
            // a trace record: the program is a kprobe one and args come from the event's fetch args.
            var dynamicEvent = IsDynamicEvent(format) ? new DynamicEventRegistry(TraceFs.Root).Find(category, name)
                ?? throw ProbeProviders.Error(node, $"{category}:{name} is a kprobe/uprobe event but neither kprobe_events nor uprobe_events lists it") : null;
            found.Add(new ResolvedProbe(ProbeKind.Tracepoint, $"tracepoint:{category}:{name}", category, name) {
                Format = format, DynamicEvent = dynamicEvent, Syscall = SyscallTracepoint.For(category, name, format),
            });
        }
        if (found.Count == 0) throw ProbeProviders.Error(node, $"tracepoint not found: {parts[1]}:{parts[2]}");
        return found;
    }

    /// <summary>Whether the format is a kprobe/uprobe event's (its record starts with the probed address).</summary>
    public static bool IsDynamicEvent(EventFormat? format) => format?.Field("__probe_ip") is not null || format?.Field("__probe_func") is not null;

    /// <summary>Every CATEGORY/NAME pair under tracefs events/ that the patterns match, sorted.</summary>
    public static IEnumerable<(string Category, string Name)> Expand(string events, string categoryPattern, string namePattern)
    {
        if (!ProbeProviders.HasWildcard(categoryPattern) && !ProbeProviders.HasWildcard(namePattern))
        {
            if (Directory.Exists(Path.Combine(events, categoryPattern, namePattern))) yield return (categoryPattern, namePattern);
            yield break;
        }
        if (!Directory.Exists(events)) yield break;
        foreach (var categoryDir in Directory.EnumerateDirectories(events).Order(StringComparer.Ordinal))
        {
            var category = Path.GetFileName(categoryDir);
            if (!ProbeProviders.Matches(categoryPattern, category)) continue;
            foreach (var nameDir in Directory.EnumerateDirectories(categoryDir).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(nameDir);
                if (ProbeProviders.Matches(namePattern, name)) yield return (category, name);
            }
        }
    }

    public IDisposable? Attach(BpfProgram program, ResolvedProbe probe, int pid) => probe.Syscall is { } syscall
        ? Bpf.Links.Attach.RawTracepoint(program, syscall.RawTracepoint)
        : Bpf.Links.Attach.Tracepoint(program, probe.Target, probe.Function);
}
