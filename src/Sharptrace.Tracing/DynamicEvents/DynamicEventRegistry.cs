using Sharptrace.Kernel;
using Sharptrace.Tracing.Ftrace;

namespace Sharptrace.Tracing.DynamicEvents;

/// <summary>
/// Creates, lists and removes the <c>sharptrace</c> group's kprobe/uprobe events through tracefs'
/// kprobe_events and uprobe_events; the kernel's error_log explains a rejected definition.
/// </summary>
public sealed class DynamicEventRegistry(string tracefsRoot)
{
    private readonly TraceFsFiles files = new(tracefsRoot);

    /// <summary>Adds the event; returns its "sharptrace:NAME".</summary>
    public string Add(ProbeDefinition probe)
    {
        if (!files.Exists(probe.EventsFile))
            throw new TraceFsUnavailableException(probe.IsUser
                ? "this kernel has no uprobe_events (CONFIG_UPROBE_EVENTS is off)"
                : "this kernel has no kprobe_events (CONFIG_KPROBE_EVENTS is off; CONFIG_KPROBES is needed)");
        try
        {
            files.Write(probe.EventsFile, probe.ToKernelSyntax(), append: true);
        }
        catch (TraceFsWriteException e) when (e.Errno == Errno.EEXIST)
        {
            throw new ArgumentException($"event {ProbeDefinition.Group}:{probe.Name} already exists (remove it with 'sharptrace probe -d {probe.Name}')");
        }
        return $"{ProbeDefinition.Group}:{probe.Name}";
    }

    /// <summary>The definitions of our group, as the kernel lists them ("p:sharptrace/NAME LOCATION ARGS").</summary>
    public List<string> List()
    {
        var list = new List<string>();
        foreach (var file in (string[])["kprobe_events", "uprobe_events"])
            foreach (var line in files.Read(file).Split('\n', StringSplitOptions.RemoveEmptyEntries))
                if (NameOf(line) is not null) list.Add(line);
        return list;
    }

    /// <summary>The kprobe/uprobe event GROUP/NAME (ours or another tool's) with its fetch args, or null when there is none.</summary>
    public DynamicEventDefinition? Find(string group, string name) =>
        DynamicEventDefinition.Find(files.Read("kprobe_events"), group, name, isUser: false)
        ?? DynamicEventDefinition.Find(files.Read("uprobe_events"), group, name, isUser: true);

    /// <summary>Removes our events whose name matches <paramref name="pattern"/> (glob, "sharptrace:" optional); returns their names.</summary>
    public List<string> Remove(string pattern)
    {
        if (pattern.StartsWith(ProbeDefinition.Group + ":", StringComparison.Ordinal)) pattern = pattern[(ProbeDefinition.Group.Length + 1)..];
        var removed = new List<string>();
        foreach (var line in List())
        {
            var name = NameOf(line)!;
            if (!Glob.Matches(pattern, name)) continue;
            var file = IsUprobeLine(name) ? "uprobe_events" : "kprobe_events";
            try
            {
                files.Write(file, $"-:{ProbeDefinition.Group}/{name}", append: true);
            }
            catch (TraceFsWriteException e) when (e.Errno == Errno.EBUSY)
            {
                throw new IOException($"{ProbeDefinition.Group}:{name} is in use (enabled by a tracer or a perf event); stop that first");
            }
            removed.Add($"{ProbeDefinition.Group}:{name}");
        }
        return removed;
    }

    private bool IsUprobeLine(string name) =>
        files.Read("uprobe_events").Split('\n').Any(l => NameOf(l) == name);

    /// <summary>The event name of a "p:GROUP/NAME …" or "r10:GROUP/NAME …" line of our group, else null.</summary>
    private static string? NameOf(string line)
    {
        var colon = line.IndexOf(':');
        if (colon < 0) return null;
        var rest = line[(colon + 1)..];
        if (!rest.StartsWith(ProbeDefinition.Group + "/", StringComparison.Ordinal)) return null;
        return rest[(ProbeDefinition.Group.Length + 1)..].Split(' ')[0];
    }
}
