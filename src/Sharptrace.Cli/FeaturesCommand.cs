using System.CommandLine;
using Sharptrace.Bpf.Features;
using Sharptrace.Kernel;
using Sharptrace.Kernel.Uapi;

namespace Sharptrace.Cli;

/// <summary>`sharptrace features`: what this kernel offers, probed for real (like bpftool feature probe), concise.</summary>
internal static class FeaturesCommand
{
    private static readonly BpfProgramType[] ProgramTypes =
    [
        BpfProgramType.Kprobe, BpfProgramType.Tracepoint, BpfProgramType.RawTracepoint, BpfProgramType.PerfEvent,
        BpfProgramType.RawTracepointWritable, BpfProgramType.SocketFilter, BpfProgramType.SchedCls, BpfProgramType.Xdp,
        BpfProgramType.CgroupSkb,
    ];

    private static readonly BpfMapType[] MapTypes =
    [
        BpfMapType.Hash, BpfMapType.Array, BpfMapType.PercpuHash, BpfMapType.PercpuArray, BpfMapType.LruHash,
        BpfMapType.LruPercpuHash, BpfMapType.StackTrace, BpfMapType.PerfEventArray, BpfMapType.Ringbuf,
        BpfMapType.LpmTrie, BpfMapType.Queue, BpfMapType.Stack, BpfMapType.BloomFilter,
    ];

    // Helpers the tracer relies on, with their ids from include/uapi/linux/bpf.h.
    private static readonly (string Name, int Id)[] Helpers =
    [
        ("probe_read_kernel", 113), ("probe_read_user_str", 114), ("get_current_task_btf", 158), ("get_stackid", 27),
        ("get_stack", 67), ("perf_event_output", 25), ("ringbuf_output", 130), ("ringbuf_reserve", 131),
        ("send_signal", 109), ("override_return", 58), ("get_func_ip", 173), ("get_attach_cookie", 174),
        ("loop", 181), ("strncmp", 182), ("ktime_get_boot_ns", 125), ("get_current_cgroup_id", 80),
    ];

    public static Command Create()
    {
        var command = new Command("features", "Probe which BPF program, map and attach types, helpers and tracefs facilities this kernel offers (tried for real, not read from its config)");
        command.SetAction(_ => Run());
        return command;
    }

    private static int Run()
    {
        Syscall.RaiseMemlockLimit();
        var uname = Syscall.Uname();
        var btf = FeatureProbe.KernelBtfSize();
        Console.WriteLine($"kernel:        {uname.Release} {uname.Machine}");
        Console.WriteLine($"bpf:           JIT {OnOff(FeatureProbe.JitEnabled())}, BTF {(btf is long size ? $"/sys/kernel/btf/vmlinux ({size / 1024} KiB)" : "absent")}, unprivileged bpf {(FeatureProbe.UnprivilegedBpfDisabled() is 0 ? "allowed" : "disabled")}");
        Console.WriteLine(Line("program types:", ProgramTypes.Select(t => (Snake(t.ToString()), FeatureProbe.ProgramType(t)))));
        Console.WriteLine(Line("map types:", MapTypes.Select(t => (Snake(t.ToString()), FeatureProbe.MapType(t)))));
        Console.WriteLine(Line("helpers:", Helpers.Select(h => (h.Name, FeatureProbe.Helper(BpfProgramType.Kprobe, h.Id)))));
        var kprobePmu = PerfEvent.DynamicPmuType("kprobe") is not null;
        var uprobePmu = PerfEvent.DynamicPmuType("uprobe") is not null;
        var tracefs = TryTraceFs();
        Console.WriteLine(Line("attach:", [
            ("tracepoint", tracefs is not null && Directory.Exists(Path.Combine(tracefs, "events/syscalls"))),
            ("raw_tracepoint", FeatureProbe.RawTracepointAttach()),
            ("kprobe", kprobePmu), ("uprobe", uprobePmu),
            ("perf_event", true), ("bpf_link", FeatureProbe.PerfEventLink()), ("fentry", FeatureProbe.Fentry()),
        ]));
        if (tracefs is null)
        {
            Console.WriteLine("tracefs:       unavailable");
            return 0;
        }
        var tracers = Read(tracefs, "available_tracers")?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var events = Directory.Exists(Path.Combine(tracefs, "events"))
            ? Directory.EnumerateDirectories(Path.Combine(tracefs, "events")).Sum(d => Directory.EnumerateDirectories(d).Count())
            : 0;
        Console.WriteLine($"tracefs:       {tracefs}, {events} events, tracers: {string.Join(' ', tracers)}");
        Console.WriteLine(Line("ftrace:", [
            ("kprobe_events", File.Exists(Path.Combine(tracefs, "kprobe_events"))),
            ("uprobe_events", File.Exists(Path.Combine(tracefs, "uprobe_events"))),
            ("dynamic_events", File.Exists(Path.Combine(tracefs, "dynamic_events"))),
            ("function", tracers.Contains("function")), ("function_graph", tracers.Contains("function_graph")),
            ("hist_triggers", File.Exists(Path.Combine(tracefs, "events/sched/sched_switch/hist"))),
            ("instances", Directory.Exists(Path.Combine(tracefs, "instances"))),
            ("trace_pipe_raw", File.Exists(Path.Combine(tracefs, "per_cpu/cpu0/trace_pipe_raw"))),
        ]));
        return 0;
    }

    private static string? TryTraceFs()
    {
        try { return TraceFs.Root; }
        catch (TraceFsUnavailableException e)
        {
            Console.Error.WriteLine($"sharptrace: {e.Message}");
            return null;
        }
    }

    private static string Line(string title, IEnumerable<(string Name, bool Supported)> items)
    {
        var list = items.ToList();
        var yes = list.Where(i => i.Supported).Select(i => i.Name);
        var no = list.Where(i => !i.Supported).Select(i => i.Name).ToList();
        return $"{title,-15}{string.Join(' ', yes)}" + (no.Count > 0 ? $"  (missing: {string.Join(' ', no)})" : "");
    }

    private static string OnOff(bool? flag) => flag switch { true => "on", false => "off", null => "unknown" };

    private static string? Read(string root, string file)
    {
        try { return File.ReadAllText(Path.Combine(root, file)).Trim(); }
        catch (IOException) { return null; }
    }

    /// <summary>RawTracepointWritable → raw_tracepoint_writable, as the kernel spells it.</summary>
    private static string Snake(string pascal)
    {
        var builder = new System.Text.StringBuilder();
        foreach (var c in pascal)
        {
            if (char.IsUpper(c) && builder.Length > 0) builder.Append('_');
            builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }
}
