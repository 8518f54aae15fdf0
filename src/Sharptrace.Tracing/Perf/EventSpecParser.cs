using System.Globalization;
using Sharptrace.Kernel;
using Sharptrace.Kernel.Uapi;

namespace Sharptrace.Tracing.Perf;

/// <summary>Parses perf's event syntax: symbolic software/hardware names, "category:tracepoint" (globs allowed), raw "rHEX", and :u/:k modifiers.</summary>
public static class EventSpecParser
{
    private static readonly Dictionary<string, (string Name, PerfType Type, ulong Config)> Symbolic = Build();

    /// <summary>The events perf stat counts when no -e is given (perf 6.1 on x86).</summary>
    public static readonly string[] DefaultStatEvents =
        ["task-clock", "context-switches", "cpu-migrations", "page-faults", "cycles", "instructions", "branches", "branch-misses"];

    private static Dictionary<string, (string, PerfType, ulong)> Build()
    {
        var table = new Dictionary<string, (string, PerfType, ulong)>(StringComparer.Ordinal);
        void Soft(PerfSoftwareEvent e, params string[] names) { foreach (var n in names) table[n] = (names[0], PerfType.Software, (ulong)e); }
        void Hard(PerfHardwareEvent e, params string[] names) { foreach (var n in names) table[n] = (names[0], PerfType.Hardware, (ulong)e); }
        Soft(PerfSoftwareEvent.CpuClock, "cpu-clock");
        Soft(PerfSoftwareEvent.TaskClock, "task-clock");
        Soft(PerfSoftwareEvent.PageFaults, "page-faults", "faults");
        Soft(PerfSoftwareEvent.ContextSwitches, "context-switches", "cs");
        Soft(PerfSoftwareEvent.CpuMigrations, "cpu-migrations", "migrations");
        Soft(PerfSoftwareEvent.PageFaultsMin, "minor-faults");
        Soft(PerfSoftwareEvent.PageFaultsMaj, "major-faults");
        Soft(PerfSoftwareEvent.AlignmentFaults, "alignment-faults");
        Soft(PerfSoftwareEvent.EmulationFaults, "emulation-faults");
        Soft(PerfSoftwareEvent.Dummy, "dummy");
        Hard(PerfHardwareEvent.CpuCycles, "cycles", "cpu-cycles");
        Hard(PerfHardwareEvent.Instructions, "instructions");
        Hard(PerfHardwareEvent.CacheReferences, "cache-references");
        Hard(PerfHardwareEvent.CacheMisses, "cache-misses");
        Hard(PerfHardwareEvent.BranchInstructions, "branches", "branch-instructions");
        Hard(PerfHardwareEvent.BranchMisses, "branch-misses");
        Hard(PerfHardwareEvent.BusCycles, "bus-cycles");
        Hard(PerfHardwareEvent.StalledCyclesFrontend, "stalled-cycles-frontend", "idle-cycles-frontend");
        Hard(PerfHardwareEvent.StalledCyclesBackend, "stalled-cycles-backend", "idle-cycles-backend");
        Hard(PerfHardwareEvent.RefCpuCycles, "ref-cycles");
        return table;
    }

    /// <summary>
    /// Parses the -e arguments (each may hold a comma-separated list) into events; a tracepoint glob
    /// expands to every matching tracepoint, in tracefs directory order.
    /// </summary>
    /// <exception cref="UnknownEventException">A name that matches nothing.</exception>
    public static List<EventSpec> Parse(IEnumerable<string> arguments, Func<string, IEnumerable<(string Category, string Name, ulong Id)>>? tracepoints = null)
    {
        tracepoints ??= TracepointsMatching;
        var result = new List<EventSpec>();
        foreach (var argument in arguments)
        {
            foreach (var item in SplitList(argument))
                result.AddRange(ParseOne(item, tracepoints));
        }
        return result;
    }

    // Commas split events, except inside {…} groups and tracepoint filters perf allows; we keep it simple.
    private static IEnumerable<string> SplitList(string argument) =>
        argument.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static IEnumerable<EventSpec> ParseOne(string text, Func<string, IEnumerable<(string, string, ulong)>> tracepoints)
    {
        var name = text;
        bool excludeUser = false, excludeKernel = false;
        var colon = text.LastIndexOf(':');
        if (colon > 0 && text[(colon + 1)..] is var modifiers && modifiers.Length is > 0 and <= 3 && modifiers.All(c => c is 'u' or 'k' or 'p'))
        {
            name = text[..colon];
            excludeKernel = modifiers.Contains('u') && !modifiers.Contains('k');
            excludeUser = modifiers.Contains('k') && !modifiers.Contains('u');
        }
        if (Symbolic.TryGetValue(name, out var known))
        {
            var shown = name == text ? known.Name : $"{known.Name}{text[colon..]}";
            yield return new EventSpec(shown, known.Type, known.Config, excludeUser, excludeKernel);
            yield break;
        }
        if (name.Length > 1 && name[0] == 'r' && ulong.TryParse(name.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var raw))
        {
            yield return new EventSpec(text, PerfType.Raw, raw, excludeUser, excludeKernel);
            yield break;
        }
        if (text.Contains(':'))
        {
            var any = false;
            foreach (var (category, tracepoint, id) in tracepoints(text))
            {
                any = true;
                yield return new EventSpec($"{category}:{tracepoint}", PerfType.Tracepoint, id);
            }
            if (!any) throw new UnknownEventException(text, "no such tracepoint");
            yield break;
        }
        throw new UnknownEventException(text, "unknown event");
    }

    /// <summary>Tracepoints of the running kernel matching "category:name" (globs * ? allowed on both sides).</summary>
    public static IEnumerable<(string Category, string Name, ulong Id)> TracepointsMatching(string pattern)
    {
        var colon = pattern.IndexOf(':');
        var categoryPattern = pattern[..colon];
        var namePattern = pattern[(colon + 1)..];
        var events = Path.Combine(Sharptrace.Kernel.TraceFs.Root, "events");
        var categories = Directory.Exists(events) ? Directory.GetDirectories(events) : [];
        foreach (var categoryDir in categories)
        {
            var category = Path.GetFileName(categoryDir);
            if (!Glob.Matches(categoryPattern, category)) continue;
            foreach (var eventDir in Directory.GetDirectories(categoryDir))
            {
                var name = Path.GetFileName(eventDir);
                if (!Glob.Matches(namePattern, name)) continue;
                var idFile = Path.Combine(eventDir, "id");
                if (!File.Exists(idFile)) continue;
                yield return (category, name, ulong.Parse(File.ReadAllText(idFile).Trim(), CultureInfo.InvariantCulture));
            }
        }
    }
}
