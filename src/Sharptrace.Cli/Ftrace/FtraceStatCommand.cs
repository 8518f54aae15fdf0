using System.CommandLine;
using Sharptrace.Kernel;
using Sharptrace.Tracing.Ftrace;
using Sharptrace.Tracing.TraceFs;

namespace Sharptrace.Cli.Ftrace;

/// <summary>`sharptrace ftrace stat`: what tracing is set up now (top level and instances): tracer, events, filters, triggers, buffers, lost counts.</summary>
internal static class FtraceStatCommand
{
    public static Command Create()
    {
        var stat = new Command("stat", "Show the current tracing state: tracer, enabled events, filters, triggers, buffer sizes, overrun/lost per CPU");
        stat.SetAction(_ =>
        {
            var root = TraceFsAccess.Require(TraceFs.Root);
            Show(new TraceFsFiles(root), "top level", root);
            var instances = Path.Combine(root, "instances");
            if (Directory.Exists(instances))
                foreach (var path in Directory.EnumerateDirectories(instances).Order(StringComparer.Ordinal))
                    Show(new TraceFsFiles(path), $"instance {Path.GetFileName(path)}", root);
            var dynamic = new TraceFsFiles(root).Read("dynamic_events").Trim();
            if (dynamic.Length > 0) Console.WriteLine($"dynamic events:\n  {dynamic.Replace("\n", "\n  ", StringComparison.Ordinal)}");
            return 0;
        });
        return stat;
    }

    private static void Show(TraceFsFiles files, string title, string root)
    {
        Console.WriteLine($"{title}:");
        Console.WriteLine($"  tracer:       {files.Read("current_tracer").Trim()}   tracing_on: {files.Read("tracing_on").Trim()}   clock: {TraceFsChangeLog.Normalize("trace_clock", files.Read("trace_clock")).FirstOrDefault()}");
        Console.WriteLine($"  buffer:       {files.Read("buffer_size_kb").Trim()} KB per CPU");
        var events = files.Read("set_event").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Console.WriteLine($"  events:       {(events.Length == 0 ? "none" : events.Length <= 8 ? string.Join(' ', events) : $"{events.Length} ({string.Join(' ', events.Take(8))} …)")}");
        foreach (var e in events)
        {
            var path = e.Replace(':', '/');
            var filter = files.Read($"events/{path}/filter").Trim();
            if (filter.Length > 0 && filter != "none") Console.WriteLine($"  filter:       {e}: {filter}");
        }
        foreach (var triggerFile in Directory.EnumerateFiles(files.PathOf("events"), "trigger", SearchOption.AllDirectories))
        {
            foreach (var line in File.ReadAllLines(triggerFile))
                if (line.Length > 0 && !line.StartsWith('#'))
                    Console.WriteLine($"  trigger:      {Path.GetRelativePath(files.PathOf("events"), Path.GetDirectoryName(triggerFile)!)}: {line}");
        }
        foreach (var list in (string[])["set_ftrace_filter", "set_ftrace_notrace", "set_graph_function", "set_event_pid", "set_ftrace_pid"])
        {
            if (!files.IsUsable(list)) continue;
            var entries = TraceFsChangeLog.Normalize(list, files.Read(list));
            if (entries.Count > 0) Console.WriteLine($"  {(list + ":").PadRight(13)} {string.Join(' ', entries.Take(10))}{(entries.Count > 10 ? $" … ({entries.Count})" : "")}");
        }
        var perCpu = files.PathOf("per_cpu");
        if (!Directory.Exists(perCpu)) return;
        foreach (var cpuPath in Directory.EnumerateDirectories(perCpu, "cpu*").Order(StringComparer.Ordinal))
        {
            var cpu = int.Parse(Path.GetFileName(cpuPath).AsSpan(3), System.Globalization.CultureInfo.InvariantCulture);
            var s = CpuBufferStats.Parse(cpu, File.ReadAllText(Path.Combine(cpuPath, "stats")));
            Console.WriteLine($"  cpu{cpu}:         entries {s.Entries}, overrun {s.Overrun}, commit overrun {s.CommitOverrun}, dropped {s.DroppedEvents}, read {s.ReadEvents}");
        }
        _ = root;
    }
}
