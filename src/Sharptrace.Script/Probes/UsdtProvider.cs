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
            throw ProbeProviders.Error(node, "usdt probes take a binary, an optional provider and a name: usdt:/usr/bin/app:provider:name");
        var path = ResolvePath(node, parts[1]);
        var (providerPattern, namePattern) = parts.Length == 4 ? (parts[2], parts[3]) : ("*", parts[2]);
        ushort machine;
        List<UsdtProbe> probes;
        try
        {
            var elf = ElfFile.Load(path);
            machine = elf.Header.Machine;
            probes = Matching(elf, providerPattern, namePattern);
        }
        catch (ElfFormatException e) { throw ProbeProviders.Error(node, e.Message); }
        if (probes.Count == 0) throw ProbeProviders.Error(node, $"no USDT probe in {path} matches '{string.Join(':', parts.Skip(2))}'");
        // As bpftrace: a name without its provider must be unique, unless the user asked for all with a wildcard.
        if (parts.Length == 3 && !ProbeProviders.HasWildcard(namePattern) && probes.Select(p => p.Provider).Distinct().Count() > 1)
            throw ProbeProviders.Error(node, $"namespace for {node.Text} not specified, matched {probes.Count} probes: name the provider, or use '*' for all: usdt:{parts[1]}:*:{namePattern}");
        foreach (var probe in probes)
            yield return new ResolvedProbe(ProbeKind.Usdt, $"usdt:{path}:{probe.Provider}:{probe.Name}", path, probe.Name)
            {
                Number = probe.FileOffset,
                Usdt = new UsdtSite(probe, machine),
            };
    }

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

/// <summary>A resolved USDT probe site and the ELF machine its argument specs are written for.</summary>
internal sealed record UsdtSite(UsdtProbe Probe, ushort Machine)
{
    private IReadOnlyList<UsdtArgument>? arguments;
    private string? error;

    /// <summary>The parsed argument specs, or null with <see cref="Error"/> set when one is not understood.</summary>
    public IReadOnlyList<UsdtArgument>? Arguments
    {
        get
        {
            if (arguments is null && error is null)
            {
                try { arguments = Probe.Arguments(Machine); }
                catch (FormatException e) { error = e.Message; }
            }
            return arguments;
        }
    }

    public string? Error => Arguments is null ? error : null;
}
