using Sharptrace.Kernel;
using Sharptrace.Script.Probes;
using Sharptrace.Tracing.DynamicEvents;
using Sharptrace.Tracing.TraceFs;

namespace Sharptrace.Cli;

/// <summary><c>sharptrace -l 'tracepoint:syscalls:*open*'</c>: probe points matching a pattern; -v adds tracepoint and kfunc arguments.</summary>
internal static class ProbeLister
{
    /// <param name="pid">-p: uprobe and usdt probes are listed from that process's program and libraries (-1: none).</param>
    public static int Run(string? pattern, bool verbose, int pid = -1)
    {
        pattern ??= "*";
        if (!pattern.Contains(':')) pattern = "*:" + pattern;
        var parts = pattern.Split(':');
        var provider = parts[0];
        var events = Path.Combine(TraceFs.Root, "events");
        // With -p, as bpftrace, a wildcard probe type stands for the process's own probe types only.
        var kernel = pid <= 0 || !ProbeProviders.HasWildcard(provider);
        if (kernel && ProbeProviders.Matches(provider, "tracepoint") && parts.Length <= 3)
        {
            var category = parts.Length == 3 ? parts[1] : "*";
            var name = parts.Length == 3 ? parts[2] : parts[^1];
            foreach (var (c, n) in TracepointProvider.Expand(events, category, name))
            {
                Console.Out.WriteLine($"tracepoint:{c}:{n}");
                if (!verbose) continue;
                var formatPath = Path.Combine(events, c, n, "format");
                if (!File.Exists(formatPath)) continue;
                var format = EventFormat.Parse(File.ReadAllText(formatPath), formatPath);
                if (TracepointProvider.IsDynamicEvent(format) && new DynamicEventRegistry(TraceFs.Root).Find(c, n) is { } dynamicEvent)
                {
                    // A kprobe/uprobe event: scripts read its fetch args (args.NAME), not the record's fields.
                    foreach (var argument in dynamicEvent.Arguments)
                        Console.Out.WriteLine($"    {argument.Type.Name} {argument.Name}" + (argument.Problem is { } why ? $"  ({argument.Text}: not readable by scripts: {why})" : ""));
                    continue;
                }
                foreach (var field in format.OwnFields)
                    Console.Out.WriteLine($"    {Declaration(field)}");
            }
        }
        if (kernel && ProbeProviders.Matches(provider, "software"))
            foreach (var e in new[] { "alignment-faults", "bpf-output", "context-switches", "cpu-clock", "cpu-migrations", "dummy", "emulation-faults", "major-faults", "minor-faults", "page-faults", "task-clock" })
                if (ProbeProviders.Matches(parts[^1], e)) Console.Out.WriteLine($"software:{e}:");
        if (!ListUprobes(provider, parts, pid)) return 1;
        if (pid > 0 && (ProbeProviders.Matches(provider, "usdt") || provider == "U") && parts.Length <= 4)
        {
            if (!ListUsdtInProcess(parts, pid)) return 1;
        }
        else if (provider is "usdt" or "U" && parts.Length is 3 or 4 && !ListUsdt(parts)) return 1;
        if (kernel && ProbeProviders.Matches(provider, "kprobe"))
            foreach (var f in KprobeProvider.KernelFunctions().Where(f => ProbeProviders.Matches(parts[^1], f)))
                Console.Out.WriteLine($"kprobe:{f}");
        // kfunc:NAME (or kretfunc: when asked for by name) from the kernel's BTF; -v shows the prototype as bpftrace does.
        var kfunc = !kernel ? null : ProbeProviders.Matches(provider, "kfunc") ? "kfunc" : ProbeProviders.Matches(provider, "kretfunc") ? "kretfunc" : null;
        if (kfunc is not null && Sharptrace.Script.Semantics.KernelTypes.Spec is { } btf)
            foreach (var function in KfuncProvider.Matching(btf, parts[^1]))
            {
                Console.Out.WriteLine($"{kfunc}:{function}");
                if (!verbose) continue;
                foreach (var line in KfuncProvider.Describe(Sharptrace.Bpf.Programs.TracingTarget.Find(btf, function))) Console.Out.WriteLine(line);
            }
        Console.Out.Flush();
        return 0;
    }

    /// <summary>
    /// uprobe:BINARY:FUNCTION (uretprobe when named so): the functions of a binary; with -p,
    /// uprobe:FUNCTION lists the process's program, as bpftrace 0.17 does (a wildcard probe type
    /// lists uprobes, not uretprobes). A wildcard binary lists nothing, as in bpftrace.
    /// </summary>
    private static bool ListUprobes(string provider, string[] parts, int pid)
    {
        var type = provider is "uretprobe" or "ur" ? "uretprobe" : ProbeProviders.Matches(provider, "uprobe") || provider == "u" ? "uprobe" : null;
        if (type is null || parts.Length > 3 || (parts.Length == 2 && pid <= 0)) return true;
        if (parts.Length == 3 && (parts[1].Length == 0 || ProbeProviders.HasWildcard(parts[1]))) return true;
        string? path;
        try { path = parts.Length == 2 ? UprobeProvider.ProgramOf(pid) : (pid > 0 ? UprobeProvider.LibraryMappedBy(pid, parts[1]) : null) ?? Sharptrace.Bpf.Elf.BinaryPathResolver.Default.TryResolve(parts[1]); }
        catch (DirectoryNotFoundException)
        {
            Console.Error.WriteLine($"sharptrace: process {pid} does not exist");
            return false;
        }
        if (path is null)
        {
            Console.Error.WriteLine($"sharptrace: uprobe target file '{parts[1]}' does not exist or is not executable");
            return false;
        }
        try
        {
            foreach (var function in UprobeFunctions.Matching(path, parts[^1]))
                Console.Out.WriteLine($"{type}:{path}:{function}");
        }
        catch (Sharptrace.Bpf.Elf.ElfFormatException e)
        {
            Console.Error.WriteLine($"sharptrace: {path}: not a usable ELF binary: {e.Problem}");
            return false;
        }
        return true;
    }

    /// <summary>usdt:BINARY:[PROVIDER:]NAME, patterns over the binary's notes.</summary>
    private static bool ListUsdt(string[] parts)
    {
        var path = Sharptrace.Bpf.Elf.BinaryPathResolver.Default.TryResolve(parts[1]);
        if (path is null)
        {
            Console.Error.WriteLine($"sharptrace: usdt target file '{parts[1]}' does not exist or is not executable");
            return false;
        }
        var (providerPattern, namePattern) = parts.Length == 4 ? (parts[2], parts[3]) : ("*", parts[2]);
        try
        {
            foreach (var probe in UsdtProvider.Matching(Sharptrace.Bpf.Elf.ElfFile.Load(path), providerPattern, namePattern))
                Console.Out.WriteLine($"usdt:{path}:{probe.Provider}:{probe.Name}");
        }
        catch (Sharptrace.Bpf.Elf.ElfFormatException e)
        {
            Console.Error.WriteLine($"sharptrace: {e.Message}");
            return false;
        }
        return true;
    }

    /// <summary>
    /// -p PID: usdt:[BINARY:][PROVIDER:]NAME over the files the process maps, as bpftrace 0.17 lists
    /// them (one part is the name; of three, the first is the binary, empty for all).
    /// </summary>
    private static bool ListUsdtInProcess(string[] parts, int pid)
    {
        var target = parts.Length <= 2 ? "" : parts[1];
        var (providerPattern, namePattern) = parts.Length == 4 ? (parts[2], parts[3]) : ("*", parts[^1]);
        var modulePattern = UsdtProvider.ModulePattern(target);
        if (modulePattern is null)
        {
            Console.Error.WriteLine($"sharptrace: usdt target file '{target}' does not exist or is not executable");
            return false;
        }
        try
        {
            foreach (var line in UsdtProvider.InProcess(pid, modulePattern, providerPattern, namePattern).Select(p => $"usdt:{p.Path}:{p.Probe.Provider}:{p.Probe.Name}").Distinct())
                Console.Out.WriteLine(line);
        }
        catch (DirectoryNotFoundException)
        {
            Console.Error.WriteLine($"sharptrace: process {pid} does not exist");
            return false;
        }
        catch (Sharptrace.Bpf.Elf.ElfFormatException e)
        {
            Console.Error.WriteLine($"sharptrace: {e.Message}");
            return false;
        }
        return true;
    }

    /// <summary>A field as the format file declares it ("char comm[16]", "__data_loc char[] name"), as bpftrace -lv shows it.</summary>
    private static string Declaration(EventField field)
    {
        var prefix = field.IsDataLoc ? "__data_loc " : field.IsRelLoc ? "__rel_loc " : "";
        if (field.IsDataLoc || field.IsRelLoc) return $"{prefix}{field.Type}[] {field.Name}";
        return field.ArrayLength is { } length ? $"{field.Type} {field.Name}[{(length > 0 ? length : field.Size)}]" : $"{field.Type} {field.Name}";
    }
}
