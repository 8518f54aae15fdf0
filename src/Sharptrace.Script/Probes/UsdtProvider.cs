using Sharptrace.Bpf.Elf;
using Sharptrace.Bpf.Programs;
using Sharptrace.Kernel;
using Sharptrace.Script.Syntax.Ast;

namespace Sharptrace.Script.Probes;

/// <summary>
/// usdt:BINARY:PROVIDER:NAME and usdt:BINARY:NAME (any provider): the SystemTap SDT probes of a
/// binary or library (path, program in PATH, or library name), read from its .note.stapsdt notes;
/// wildcards in provider and name. A probe with a semaphore has it raised while attached.
/// </summary>
internal sealed class UsdtProvider : IProbeProvider
{
    public IReadOnlyList<string> Names { get; } = ["usdt", "U"];

    public IEnumerable<ResolvedProbe> Resolve(AttachPointNode node, string[] parts)
    {
        if (parts.Length is < 3 or > 4 || parts.Skip(1).Any(p => p.Length == 0))
            throw ProbeProviders.Error(node, "usdt probes take a binary, an optional provider and a name: usdt:/usr/bin/app:provider:name (or give -p PID and leave the binary out: usdt::provider:name)");
        var path = ResolvePath(node, parts[1]);
        var (providerPattern, namePattern) = parts.Length == 4 ? (parts[2], parts[3]) : ("*", parts[2]);
        ElfFile elf;
        List<UsdtProbe> probes;
        try
        {
            elf = ElfFile.Load(path);
            probes = Matching(elf, providerPattern, namePattern);
        }
        catch (ElfFormatException e) { throw ProbeProviders.Error(node, e.Message); }
        if (probes.Count == 0) throw ProbeProviders.Error(node, $"no USDT probe in {path} matches '{string.Join(':', parts.Skip(2))}'");
        CheckProviderNamed(node, parts.Length == 4, namePattern, probes, $"usdt:{parts[1]}:*:{namePattern}");
        foreach (var probe in probes)
            yield return Resolved(path, probe, elf);
    }

    /// <summary>
    /// With -p PID, as bpftrace 0.17: the probes of every file the process has mapped executable (its
    /// program and libraries), named through /proc/PID/root as bpftrace names them. The binary may
    /// be left out (usdt:NAME, usdt::NAME, usdt::PROVIDER:NAME) or be a wildcard; a given binary
    /// limits the search to that file.
    /// </summary>
    public IEnumerable<ResolvedProbe> ResolveInProcess(AttachPointNode node, string[] parts, int pid)
    {
        if (parts.Length is < 2 or > 4 || parts[^1].Length == 0 || (parts.Length == 4 && parts[2].Length == 0))
            throw ProbeProviders.Error(node, "usdt probes take an optional binary, an optional provider and a name: usdt::provider:name, usdt:name or usdt:/usr/bin/app:provider:name");
        var target = parts.Length == 2 ? "" : parts[1];
        var (providerPattern, namePattern) = parts.Length == 4 ? (parts[2], parts[3]) : ("*", parts[^1]);
        var modulePattern = ModulePattern(target) ?? throw ProbeProviders.Error(node, $"usdt target file '{target}' does not exist or is not executable");
        List<(string Path, UsdtProbe Probe, ElfFile Elf)> probes;
        try { probes = InProcess(pid, modulePattern, providerPattern, namePattern); }
        catch (ElfFormatException e) { throw ProbeProviders.Error(node, e.Message); }
        catch (DirectoryNotFoundException) { throw ProbeProviders.Error(node, $"process {pid} does not exist"); }
        if (probes.Count == 0)
            throw ProbeProviders.Error(node, $"no USDT probe in process {pid}{(target.Length == 0 ? "" : $" ({target})")} matches '{string.Join(':', parts.Skip(parts.Length == 2 ? 1 : 2))}'");
        CheckProviderNamed(node, parts.Length == 4, namePattern, probes.Select(p => p.Probe).ToList(), $"usdt:{target}:*:{namePattern}");
        foreach (var (path, probe, elf) in probes)
            yield return Resolved(path, probe, elf);
    }

    /// <summary>
    /// What a -p target matches in /proc/PID/maps: everything when empty, a wildcard as written,
    /// else the named file's canonical path (as the kernel names it there): relative to the working
    /// directory as bpftrace takes it, else found in PATH or as a library; null when there is no such file.
    /// </summary>
    public static string? ModulePattern(string target) =>
        target.Length == 0 ? "*"
        : ProbeProviders.HasWildcard(target) ? target
        : File.Exists(target) ? CanonicalPath.Of(target)
        : BinaryPathResolver.Default.TryResolve(target) is { } path ? CanonicalPath.Of(path) : null;

    /// <summary>
    /// The USDT probes in the files <paramref name="pid"/> maps executable whose real path matches
    /// <paramref name="modulePattern"/>, each with the path to open it by (through /proc/PID/root, so
    /// that a process in another mount namespace works too), sorted as bpftrace lists them.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The process does not exist.</exception>
    public static List<(string Path, UsdtProbe Probe, ElfFile Elf)> InProcess(int pid, string modulePattern, string providerPattern, string namePattern)
    {
        if (!Directory.Exists($"/proc/{pid}")) throw new DirectoryNotFoundException($"/proc/{pid}");
        var found = new List<(string Path, UsdtProbe Probe, ElfFile Elf)>();
        var modules = Sharptrace.Tracing.Symbols.AddressSpace.FromProc(pid).Mappings
            .Select(m => m.Path).Where(p => p.StartsWith('/') && !p.EndsWith(" (deleted)", StringComparison.Ordinal)).Distinct();
        foreach (var module in modules.Where(m => ProbeProviders.Matches(modulePattern, m)))
        {
            var path = $"/proc/{pid}/root{module}";
            if (!LooksLikeElf(path)) continue;
            var elf = ElfFile.Load(path);
            found.AddRange(Matching(elf, providerPattern, namePattern).Select(p => (path, p, elf)));
        }
        return [.. found.OrderBy(p => $"{p.Path}:{p.Probe.Provider}:{p.Probe.Name}", StringComparer.Ordinal).ThenBy(p => p.Probe.Address)];
    }

    /// <summary>Only the ELF magic is read: a process may map large data files executable too.</summary>
    private static bool LooksLikeElf(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            Span<byte> magic = stackalloc byte[4];
            return file.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && ElfFile.HasElfMagic(magic);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    /// <summary>As bpftrace: a name without its provider must be unique, unless the user asked for all with a wildcard.</summary>
    private static void CheckProviderNamed(AttachPointNode node, bool providerGiven, string namePattern, List<UsdtProbe> probes, string suggestion)
    {
        if (!providerGiven && !ProbeProviders.HasWildcard(namePattern) && probes.Select(p => p.Provider).Distinct().Count() > 1)
            throw ProbeProviders.Error(node, $"namespace for {node.Text} not specified, matched {probes.Count} probes: name the provider, or use '*' for all: {suggestion}");
    }

    private static ResolvedProbe Resolved(string path, UsdtProbe probe, ElfFile elf) =>
        new(ProbeKind.Usdt, $"usdt:{path}:{probe.Provider}:{probe.Name}", path, probe.Name)
        {
            Number = probe.FileOffset,
            Usdt = new UsdtSite(probe, elf),
        };

    /// <summary>A path, a program found in PATH, or a library name ("libc") found through ld.so.cache.</summary>
    public static string ResolvePath(AttachPointNode node, string binary)
    {
        try { return BinaryPathResolver.Default.Resolve(binary); }
        catch (Exception e) when (e is FileNotFoundException or IOException or ArgumentException or SymbolNotFoundException)
        {
            throw ProbeProviders.Error(node, $"usdt target file '{binary}' does not exist or is not executable");
        }
    }

    /// <summary>The probes whose provider and name match the patterns, sorted by provider then name (as bpftrace -l lists them).</summary>
    public static List<UsdtProbe> Matching(ElfFile elf, string providerPattern, string namePattern) =>
        UsdtProbe.Read(elf)
            .Where(p => ProbeProviders.Matches(providerPattern, p.Provider) && ProbeProviders.Matches(namePattern, p.Name))
            .OrderBy(p => p.Provider, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Address)
            .ToList();

    public IDisposable? Attach(BpfProgram program, ResolvedProbe probe, int pid)
    {
        var site = probe.Usdt!.Probe;
        var semaphore = site.SemaphoreFileOffset;
        // Without the kernel's ref_ctr_offset (before 4.20) we raise the semaphore ourselves in the
        // -p process; SHARPTRACE_USDT_SEMAPHORE=procmem forces that path so tests cover it.
        var pmu = DynamicPmu.Find("uprobe");
        var ourselves = semaphore != 0 && (pmu?.ReferenceCounterBit is null || Environment.GetEnvironmentVariable("SHARPTRACE_USDT_SEMAPHORE") == "procmem");
        if (ourselves && pid < 0)
            throw new KernelException($"usdt {probe.FullName}", Errno.EINVAL,
                "this probe has a semaphore and the kernel cannot raise it (no uprobe ref_ctr_offset, Linux 4.20): give the process with -p PID");
        var link = Bpf.Links.Attach.Uprobe(program, probe.Target, probe.Number, false, pid, ourselves ? 0 : semaphore);
        if (!ourselves) return link;
        try { return new UsdtSemaphore(pid, probe.Target, semaphore, link); }
        catch
        {
            link.Dispose();
            throw;
        }
    }
}

/// <summary>A resolved USDT probe site and the ELF file it is in (the machine its argument specs are written for, the symbols they name).</summary>
internal sealed record UsdtSite(UsdtProbe Probe, ElfFile Elf)
{
    private readonly Dictionary<int, (UsdtArgument? Argument, string? Error)> located = [];

    /// <summary>How many arguments the note gives.</summary>
    public int ArgumentCount => Probe.ArgumentSpecs.Count;

    /// <summary>Argument <paramref name="index"/> located, or null with <paramref name="error"/> saying why not: only the arguments a script reads must be understood.</summary>
    public UsdtArgument? Argument(int index, out string? error)
    {
        if (!located.TryGetValue(index, out var entry))
        {
            try { entry = (Probe.Argument(Elf, index), null); }
            catch (FormatException e) { entry = (null, e.Message); }
            located[index] = entry;
        }
        error = entry.Error;
        return entry.Argument;
    }
}
