using Sharptrace.Bpf.Elf;
using Sharptrace.Bpf.Programs;
using Sharptrace.Script.Syntax.Ast;

namespace Sharptrace.Script.Probes;

/// <summary>uprobe:BINARY:FUNCTION (path, program in PATH, or library name like "libc"), uretprobe; wildcards over the ELF symbols.</summary>
internal sealed class UprobeProvider(bool isReturn) : IProbeProvider
{
    public IReadOnlyList<string> Names { get; } = isReturn ? ["uretprobe", "ur"] : ["uprobe", "u"];

    public IEnumerable<ResolvedProbe> Resolve(AttachPointNode node, string[] parts)
    {
        if (parts.Length != 3 || parts[1].Length == 0 || parts[2].Length == 0)
            throw ProbeProviders.Error(node, $"{parts[0]} probes take a binary and a function: {parts[0]}:/bin/bash:readline (or give -p PID and leave the binary out: {parts[0]}:FUNCTION)");
        return Functions(node, ResolveBinary(node, parts[1]), parts[2]);
    }

    /// <summary>
    /// With -p PID, as bpftrace 0.17: uprobe:FUNCTION is a function of the process's program, named
    /// through /proc/PID/root; a library named without a path is the one the process maps.
    /// </summary>
    public IEnumerable<ResolvedProbe> ResolveInProcess(AttachPointNode node, string[] parts, int pid)
    {
        if (parts.Length is < 2 or > 3 || parts[^1].Length == 0 || (parts.Length == 3 && parts[1].Length == 0))
            throw ProbeProviders.Error(node, $"{parts[0]} probes take an optional binary and a function: {parts[0]}:FUNCTION or {parts[0]}:/bin/bash:readline");
        string path;
        try { path = parts.Length == 2 ? ProgramOf(pid) : LibraryMappedBy(pid, parts[1]) ?? ResolveBinary(node, parts[1]); }
        catch (DirectoryNotFoundException) { throw ProbeProviders.Error(node, $"process {pid} does not exist"); }
        return Functions(node, path, parts[^1]);
    }

    /// <summary>The process's program as bpftrace names it: /proc/PID/root and the path the kernel gives for /proc/PID/exe.</summary>
    /// <exception cref="DirectoryNotFoundException">The process does not exist (or has no program: a kernel thread).</exception>
    public static string ProgramOf(int pid)
    {
        var exe = new FileInfo($"/proc/{pid}/exe");
        try
        {
            if (exe.LinkTarget is { } target && target.StartsWith('/')) return $"/proc/{pid}/root{target}";
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        throw new DirectoryNotFoundException($"/proc/{pid}/exe");
    }

    /// <summary>A library name without a path ("libc") as the process maps it (/usr/lib/…/libc.so.6), or null.</summary>
    public static string? LibraryMappedBy(int pid, string name)
    {
        if (name.Contains('/') || ProbeProviders.HasWildcard(name)) return null;
        if (!Directory.Exists($"/proc/{pid}")) throw new DirectoryNotFoundException($"/proc/{pid}");
        var stem = name.StartsWith("lib", StringComparison.Ordinal) ? name : "lib" + name;
        return Sharptrace.Tracing.Symbols.AddressSpace.FromProc(pid).Mappings.Select(m => m.Path)
            .FirstOrDefault(p => p.StartsWith('/') && Path.GetFileName(p).StartsWith(stem + ".so", StringComparison.Ordinal));
    }

    /// <summary>A path, a program found in PATH, or a library name ("libc") found through ld.so.cache.</summary>
    private static string ResolveBinary(AttachPointNode node, string binary)
    {
        try { return BinaryPathResolver.Default.Resolve(binary); }
        catch (Exception e) when (e is FileNotFoundException or IOException or ArgumentException or SymbolNotFoundException)
        {
            throw ProbeProviders.Error(node, $"binary not found: {binary}");
        }
    }

    private IEnumerable<ResolvedProbe> Functions(AttachPointNode node, string path, string function)
    {
        var kind = isReturn ? ProbeKind.Uretprobe : ProbeKind.Uprobe;
        var names = new List<string>();
        if (ProbeProviders.HasWildcard(function))
        {
            try { names.AddRange(UprobeFunctions.Matching(path, function)); }
            catch (ElfFormatException e) { throw ProbeProviders.Error(node, $"{path}: not a usable ELF binary: {e.Problem}"); }
            if (names.Count == 0) throw ProbeProviders.Error(node, $"no function in {path} matches '{function}'");
        }
        else names.Add(function);
        foreach (var name in names)
        {
            ulong offset;
            try { offset = UprobeFunctions.Offset(path, name); }
            catch (SymbolNotFoundException) { throw new MissingFunctionException(new(node.Span, $"function '{name}' not found in {path}")); }
            catch (ElfFormatException e) { throw ProbeProviders.Error(node, $"{path}: not a usable ELF binary: {e.Problem}"); }
            yield return new ResolvedProbe(kind, $"{Names[0]}:{path}:{name}", path, name) { Number = offset };
        }
    }

    public IDisposable? Attach(BpfProgram program, ResolvedProbe probe, int pid) =>
        Bpf.Links.Attach.Uprobe(program, probe.Target, probe.Number, probe.IsReturn, pid);
}
