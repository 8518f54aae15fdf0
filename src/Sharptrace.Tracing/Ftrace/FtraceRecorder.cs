using System.Globalization;
using System.Text;

namespace Sharptrace.Tracing.Ftrace;

/// <summary>
/// One recording: sets up an instance (events, filters, tracer, pids, buffer size), streams the raw
/// per-CPU pages into a trace file, and at <see cref="Dispose"/> closes the pipes, restores every
/// file it changed and removes its instance, whatever happened in between.
/// </summary>
public sealed class FtraceRecorder : IDisposable
{
    private readonly TraceInstance instance;
    private readonly TraceFsChangeLog changes;
    private readonly TraceFsChangeLog globalChanges;
    private readonly TraceFileWriter writer;
    private RawPageReader? reader;
    private readonly List<(string System, string Event)> enabled = [];
    private bool disposed;

    private FtraceRecorder(TraceInstance instance, TraceFileWriter writer)
    {
        this.instance = instance;
        this.writer = writer;
        changes = new TraceFsChangeLog(instance.Files);
        globalChanges = new TraceFsChangeLog(new TraceFsFiles(instance.TraceFsRoot));
    }

    /// <summary>The instance recorded into.</summary>
    public TraceInstance Instance => instance;

    /// <summary>The events enabled.</summary>
    public IReadOnlyList<(string System, string Event)> EnabledEvents => enabled;

    /// <summary>Notes for the user (fallbacks taken).</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Errors met while restoring state at dispose.</summary>
    public IEnumerable<string> RestoreErrors => changes.RestoreErrors.Concat(globalChanges.RestoreErrors);

    /// <summary>Bytes of pages written so far.</summary>
    public long BytesRecorded { get; private set; }

    /// <summary>Sets everything up with tracing off; call <see cref="Begin"/> to start.</summary>
    public static FtraceRecorder Create(string tracefsRoot, RecordOptions options, TraceFileWriter writer)
    {
        var top = TraceInstance.TopLevel(tracefsRoot);
        var tracer = options.Tracer is null or "nop" ? null : options.Tracer;
        if (tracer is not null)
        {
            var available = top.Files.Read("available_tracers").Split(' ', '\n', StringSplitOptions.RemoveEmptyEntries);
            if (!available.Contains(tracer))
                throw new ArgumentException($"unknown tracer '{tracer}': this kernel offers {string.Join(", ", available)}");
        }
        var useTop = options.TopLevel;
        var instance = useTop ? top : TraceInstance.Create(tracefsRoot);
        var recorder = new FtraceRecorder(instance, writer);
        try
        {
            if (!useTop && tracer is not null)
            {
                // Kernels before 6.12 keep some tracers (function_graph) out of instances.
                var inInstance = instance.Files.Read("available_tracers").Split(' ', '\n', StringSplitOptions.RemoveEmptyEntries);
                if (!inInstance.Contains(tracer))
                {
                    instance.Dispose();
                    recorder = new FtraceRecorder(top, writer);
                    recorder.Notes.Add($"tracer {tracer} is not available in instances on this kernel: using the top-level buffer (restored at the end)");
                }
            }
            recorder.Configure(options, tracer);
            return recorder;
        }
        catch
        {
            recorder.Dispose();
            throw;
        }
    }

    private void Configure(RecordOptions options, string? tracer)
    {
        var files = instance.Files;
        changes.Set("tracing_on", "0");
        if (instance.IsTopLevel)
        {
            changes.Set("current_tracer", "nop");
            changes.Set("set_event", ""); // nothing else enabled in the buffer we record
        }
        files.Write("trace", ""); // empties the buffers
        if (options.BufferKb is int kb)
        {
            if (kb <= 0) throw new ArgumentException($"buffer size must be positive, not {kb} KB");
            changes.Set("buffer_size_kb", kb.ToString(CultureInfo.InvariantCulture));
        }
        // saved_cmdlines is global; 128 comms is too few to name the tasks of a busy trace.
        if (int.TryParse(globalChanges.Files.Read("saved_cmdlines_size").Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var comms) && comms < 4096)
            globalChanges.Set("saved_cmdlines_size", "4096");
        if (options.Pids.Count > 0)
        {
            var pids = options.Pids.Select(p => p.ToString(CultureInfo.InvariantCulture)).ToList();
            changes.SetList("set_event_pid", [string.Join(' ', pids)]);
            if (tracer is not null && files.Exists("set_ftrace_pid")) changes.SetList("set_ftrace_pid", [string.Join(' ', pids)]);
            if (options.FollowChildren)
            {
                changes.Set("options/event-fork", "1");
                if (files.Exists("options/function-fork")) changes.Set("options/function-fork", "1");
            }
        }
        foreach (var selection in options.Events)
        {
            var matched = selection.Expand(instance.TraceFsRoot);
            if (matched.Count == 0) throw new ArgumentException($"unknown event '{selection}' (see 'sharptrace ftrace list -e')");
            foreach (var (system, name) in matched)
            {
                if (selection.Filter is { } filter) changes.Set($"events/{system}/{name}/filter", filter);
                changes.Set($"events/{system}/{name}/enable", "1");
                if (!enabled.Contains((system, name))) enabled.Add((system, name));
            }
        }
        if (tracer is not null)
        {
            CheckFunctionsExist([.. options.FunctionFilters, .. options.FunctionNotrace, .. options.GraphFunctions]);
            if (options.FunctionFilters.Count > 0) changes.SetList("set_ftrace_filter", options.FunctionFilters);
            if (options.FunctionNotrace.Count > 0) changes.SetList("set_ftrace_notrace", options.FunctionNotrace);
            if (options.GraphFunctions.Count > 0) changes.SetList("set_graph_function", options.GraphFunctions);
            changes.Set("current_tracer", tracer);
        }
        else if (options.FunctionFilters.Count + options.FunctionNotrace.Count + options.GraphFunctions.Count > 0)
        {
            throw new ArgumentException("-l/-n/-g filter functions of a tracer: add -p function or -p function_graph");
        }
        if (enabled.Count == 0 && tracer is null) throw new ArgumentException("nothing to record: give events (-e) or a tracer (-p)");
        WriteHeader(tracer);
        var pageSize = PageSize(files);
        reader = new RawPageReader(files, instance.Cpus(), pageSize);
        writer.WriteText(TraceFileSection.Metadata, Metadata(tracer, pageSize));
    }

    /// <summary>Some kernels accept an unknown plain name silently (and then trace every function): refuse it first.</summary>
    private void CheckFunctionsExist(List<string> names)
    {
        var plain = names.Where(n => n.IndexOfAny(['*', '?', '[', ':', '!']) < 0).ToList();
        if (plain.Count == 0) return;
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(instance.TraceFsRoot, "available_filter_functions")))
        {
            var end = line.IndexOf(' ');
            known.Add(end < 0 ? line : line[..end]);
        }
        foreach (var name in plain)
            if (!known.Contains(name))
                throw new ArgumentException($"unknown function '{name}': not in available_filter_functions (not traceable, inlined, or misspelled)");
    }

    private static int PageSize(TraceFsFiles files)
    {
        var text = files.Read("buffer_subbuf_size_kb").Trim();
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var kb) && kb > 0 ? kb * 1024 : Environment.SystemPageSize;
    }

    private string Metadata(string? tracer, int pageSize)
    {
        var clock = TraceFsChangeLog.Normalize("trace_clock", instance.Files.Read("trace_clock"));
        var text = new StringBuilder();
        text.Append("page_size=").Append(pageSize.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append("cpus=").Append(instance.Cpus().Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append("clock=").Append(clock.Count > 0 ? clock[0] : "local").Append('\n');
        text.Append("tracer=").Append(tracer ?? "nop").Append('\n');
        text.Append("kernel=").Append(Kernel.Syscall.KernelRelease).Append('\n');
        text.Append("recorded_at=").Append(DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)).Append('\n');
        return text.ToString();
    }

    private void WriteHeader(string? tracer)
    {
        var root = new TraceFsFiles(instance.TraceFsRoot);
        writer.WriteText(TraceFileSection.HeaderPage, root.Read("events/header_page"));
        writer.WriteText(TraceFileSection.HeaderEvent, root.Read("events/header_event"));
        var formats = new List<(string, string)>(enabled);
        // The ftrace system holds the tracers' own records (function, funcgraph_*, print, bprint…).
        foreach (var path in Directory.EnumerateDirectories(root.PathOf("events/ftrace")))
            formats.Add(("ftrace", Path.GetFileName(path)));
        foreach (var (system, name) in formats)
        {
            var text = root.Read($"events/{system}/{name}/format");
            if (text.Length > 0) writer.WriteText(TraceFileSection.EventFormat, system + "\n" + text);
        }
        // Symbols are only worth their megabytes when something prints kernel addresses.
        if (tracer is not null || enabled.Any(f => f.System is "kprobes" || root.Read($"events/{f.System}/{f.Event}/format").Contains("%ps", StringComparison.OrdinalIgnoreCase)))
        {
            try { writer.WriteText(TraceFileSection.KernelSymbols, KernelSymbolTable.ReadTextSymbols()); }
            catch (IOException) { Notes.Add("could not read /proc/kallsyms: function addresses stay in hex"); }
        }
    }

    /// <summary>Turns tracing on.</summary>
    public void Begin() => instance.Files.Write("tracing_on", "1");

    /// <summary>Also handed every batch of pages read (cpu, whole pages): for live decoding.</summary>
    public Action<int, ReadOnlySpan<byte>>? PageObserver { get; set; }

    /// <summary>The page size of the buffers read.</summary>
    public int PageSizeInBytes => reader!.PageSize;

    /// <summary>The formats of the enabled events and of the ftrace system, read from tracefs.</summary>
    public EventTypeTable LoadEventTypes()
    {
        var root = new TraceFsFiles(instance.TraceFsRoot);
        var table = new EventTypeTable();
        foreach (var path in Directory.EnumerateDirectories(root.PathOf("events/ftrace")))
            if (root.Read($"events/ftrace/{Path.GetFileName(path)}/format") is { Length: > 0 } text) table.Add("ftrace", text);
        foreach (var (system, name) in enabled) table.Add(system, root.Read($"events/{system}/{name}/format"));
        return table;
    }

    /// <summary>Moves every page available now into the file; returns the bytes moved.</summary>
    public long Poll()
    {
        var n = reader!.Drain((cpu, pages) =>
        {
            writer.WriteCpuSection(TraceFileSection.CpuPages, cpu, pages);
            PageObserver?.Invoke(cpu, pages);
        });
        BytesRecorded += n;
        return n;
    }

    /// <summary>Stops tracing, moves the last pages, writes stats and comms; returns the per-CPU stats.</summary>
    public IReadOnlyList<CpuBufferStats> Finish()
    {
        instance.Files.Write("tracing_on", "0");
        Poll();
        var stats = new List<CpuBufferStats>();
        foreach (var cpu in instance.Cpus())
        {
            var text = instance.Files.Read($"per_cpu/cpu{cpu}/stats");
            writer.WriteCpuSection(TraceFileSection.CpuStats, cpu, Encoding.UTF8.GetBytes(text));
            stats.Add(CpuBufferStats.Parse(cpu, text));
        }
        writer.WriteText(TraceFileSection.Cmdlines, new TraceFsFiles(instance.TraceFsRoot).Read("saved_cmdlines"));
        writer.Flush();
        return stats;
    }

    /// <summary>Closes the pipes, restores every changed file and removes the instance.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        reader?.Dispose();
        try { instance.Files.Write("tracing_on", "0"); }
        catch (Exception e) when (e is IOException or TraceFsWriteException or Kernel.KernelException) { }
        changes.Dispose();
        globalChanges.Dispose();
        instance.Dispose();
    }
}
