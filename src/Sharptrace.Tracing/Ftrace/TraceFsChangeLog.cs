namespace Sharptrace.Tracing.Ftrace;

/// <summary>
/// Remembers the value of every tracefs file we change, the first time we change it, and writes the
/// values back (in reverse order) at <see cref="Dispose"/>: the state is left as it was found on every
/// exit path. Triggers are undone with their "!" form, which is how the kernel removes them.
/// </summary>
public sealed class TraceFsChangeLog(TraceFsFiles files) : IDisposable
{
    private readonly List<(string File, Action Undo)> undo = [];
    private readonly HashSet<string> saved = [];

    /// <summary>The files this log writes.</summary>
    public TraceFsFiles Files { get; } = files;

    /// <summary>Errors met while restoring (reported, never thrown from Dispose).</summary>
    public List<string> RestoreErrors { get; } = [];

    /// <summary>Sets a value file (tracing_on, current_tracer, buffer_size_kb, an event's enable or filter, an option…).</summary>
    public void Set(string relative, string value)
    {
        Save(relative);
        Files.Write(relative, value);
    }

    /// <summary>Sets a list file (set_ftrace_filter, set_event_pid, set_graph_function…) to these entries.</summary>
    public void SetList(string relative, IEnumerable<string> entries)
    {
        Save(relative);
        var first = true;
        foreach (var entry in entries)
        {
            Files.Write(relative, entry, append: !first);
            first = false;
        }
        if (first) Files.Write(relative, "");
    }

    /// <summary>Adds a trigger (e.g. "hist:keys=pid") to an event's trigger file; removed again at dispose.</summary>
    public void AddTrigger(string relative, string trigger)
    {
        Files.Write(relative, trigger, append: true);
        undo.Add((relative, () => Files.Write(relative, "!" + trigger, append: true)));
    }

    private void Save(string relative)
    {
        if (!saved.Add(relative)) return;
        var original = Normalize(relative, Files.Read(relative));
        undo.Add((relative, () => Restore(relative, original)));
    }

    private void Restore(string relative, IReadOnlyList<string> original)
    {
        if (original.Count == 0) { Files.Write(relative, ""); return; }
        if (IsList(relative))
        {
            for (var i = 0; i < original.Count; i++) Files.Write(relative, original[i], append: i > 0);
            return;
        }
        Files.Write(relative, original[0]);
    }

    private static bool IsList(string relative) =>
        relative.EndsWith("set_event", StringComparison.Ordinal) || relative.EndsWith("set_ftrace_filter", StringComparison.Ordinal) || relative.EndsWith("set_ftrace_notrace", StringComparison.Ordinal)
        || relative.EndsWith("set_graph_function", StringComparison.Ordinal) || relative.EndsWith("set_graph_notrace", StringComparison.Ordinal)
        || relative.EndsWith("set_event_pid", StringComparison.Ordinal) || relative.EndsWith("set_ftrace_pid", StringComparison.Ordinal)
        || relative.EndsWith("set_event_notrace_pid", StringComparison.Ordinal) || relative.EndsWith("set_ftrace_notrace_pid", StringComparison.Ordinal);

    /// <summary>Turns what a file reads as into what writing it back takes.</summary>
    public static IReadOnlyList<string> Normalize(string relative, string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith('#')).ToList();
        if (IsList(relative)) return lines.Where(l => l != "no pid").ToList();
        if (lines.Count == 0) return [];
        var value = lines[0];
        if (relative.EndsWith("filter", StringComparison.Ordinal) && value == "none") return ["0"];
        if (relative.EndsWith("trace_clock", StringComparison.Ordinal))
        {
            var open = value.IndexOf('[');
            var close = value.IndexOf(']');
            if (open >= 0 && close > open) return [value[(open + 1)..close]];
        }
        // "7 (expanded: 1408)": the buffer is at its boot minimum until first used; writing 7 keeps that.
        if (relative.EndsWith("buffer_size_kb", StringComparison.Ordinal)) return [value.Split(' ')[0]];
        return [value];
    }

    /// <summary>Writes every saved value back, newest change first; failures are collected in <see cref="RestoreErrors"/>.</summary>
    public void Dispose()
    {
        for (var i = undo.Count - 1; i >= 0; i--)
        {
            try { undo[i].Undo(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or TraceFsWriteException or Kernel.KernelException)
            {
                RestoreErrors.Add($"{undo[i].File}: {e.Message}");
            }
        }
        undo.Clear();
        saved.Clear();
    }
}
