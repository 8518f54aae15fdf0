using Sharptrace.Bpf.Elf;

namespace Sharptrace.Tracing.Symbols;

/// <summary>
/// Turns (pid, address) into a symbol: kernel addresses through kallsyms, user addresses through the
/// process's mappings and each binary's ELF symbols, JIT code through /tmp/perf-PID.map. Binaries are
/// loaded once and shared by every process that maps them; resolved addresses are cached.
/// Mappings come either from /proc/PID/maps when a pid is first seen (<see cref="ForLiveProcesses"/>,
/// for ustack/usym while the process runs) or from recorded MMAP2 events (<see cref="AddMapping"/>,
/// for a perf.data after the process has gone). Not thread-safe: use one per reader.
/// </summary>
public sealed class Symbolizer
{
    private readonly Dictionary<int, AddressSpace> spaces = [];
    private readonly Dictionary<string, ElfSymbols?> binaries = new(StringComparer.Ordinal);
    private readonly Dictionary<int, PerfMapSymbols?> perfMaps = [];
    private readonly ResolveCache cache = new();
    private readonly bool readLiveMaps;
    private readonly Func<KernelSymbols?> kernelSource;
    private KernelSymbols? kernel;
    private bool kernelLoaded;

    private Symbolizer(bool readLiveMaps, Func<KernelSymbols?> kernelSource)
    {
        this.readLiveMaps = readLiveMaps;
        this.kernelSource = kernelSource;
    }

    /// <summary>A symbolizer that reads /proc/PID/maps the first time it meets a pid.</summary>
    public static Symbolizer ForLiveProcesses(KernelSymbols? kernel = null) => new(true, () => kernel ?? KernelSymbols.Current);

    /// <summary>A symbolizer fed with recorded mappings (<see cref="AddMapping"/>, <see cref="Fork"/>).</summary>
    public static Symbolizer ForRecordedMappings(KernelSymbols? kernel = null) => new(false, () => kernel ?? KernelSymbols.Current);

    /// <summary>Where the root of the file system lives (a container or a copied sysroot); "" for /.</summary>
    public string SysRoot { get; init; } = "";

    /// <summary>The directory holding perf-PID.map files.</summary>
    public string PerfMapDirectory { get; init; } = "/tmp";

    /// <summary>Binaries whose symbols are loaded (or failed to load) so far.</summary>
    public int LoadedBinaries => binaries.Count;

    /// <summary>Records that <paramref name="pid"/> mapped <paramref name="path"/> at [start, start+length) from <paramref name="fileOffset"/>.</summary>
    public void AddMapping(int pid, ulong start, ulong length, ulong fileOffset, string path)
    {
        SpaceOf(pid).Add(new Mapping(start, start + length, fileOffset, path));
        cache.Invalidate();
    }

    /// <summary>A forked child starts with a copy of its parent's mappings.</summary>
    public void Fork(int parentPid, int childPid)
    {
        if (parentPid == childPid) return;
        spaces[childPid] = spaces.TryGetValue(parentPid, out var parent) ? parent.Clone() : new AddressSpace();
        cache.Invalidate();
    }

    /// <summary>An exec replaces the address space: its new mappings follow.</summary>
    public void Exec(int pid)
    {
        spaces[pid] = new AddressSpace();
        cache.Invalidate();
    }

    private AddressSpace SpaceOf(int pid)
    {
        if (!spaces.TryGetValue(pid, out var space))
            spaces[pid] = space = readLiveMaps && pid > 0 ? AddressSpace.FromProc(pid) : new AddressSpace();
        return space;
    }

    /// <summary>The kernel symbols (loaded on first kernel address), or null where kallsyms is hidden.</summary>
    public KernelSymbols? Kernel
    {
        get
        {
            if (!kernelLoaded)
            {
                kernelLoaded = true;
                try { kernel = kernelSource(); } catch (IOException) { } catch (UnauthorizedAccessException) { }
                if (kernel is { IsAvailable: false }) kernel = null;
            }
            return kernel;
        }
    }

    /// <summary>Resolves <paramref name="address"/> in process <paramref name="pid"/> (any pid for kernel addresses).</summary>
    public ResolvedSymbol Resolve(int pid, ulong address)
    {
        if (KernelSymbols.IsKernelAddress(address))
            return Kernel?.Resolve(address) ?? new ResolvedSymbol(null, 0, KernelSymbols.KernelModule, SymbolKind.Kernel);
        if (cache.TryGet(pid, address, out var cached)) return cached;
        var resolved = ResolveUser(pid, address);
        cache.Set(pid, address, resolved);
        return resolved;
    }

    private ResolvedSymbol ResolveUser(int pid, ulong address)
    {
        if (SpaceOf(pid).TryFind(address, out var mapping) && !mapping.IsAnonymous && !mapping.Path.StartsWith('['))
        {
            var symbols = BinaryAt(mapping.Path);
            if (symbols is not null && symbols.TryResolveFileOffset(address - mapping.Start + mapping.FileOffset, out var name, out var offset))
                return new ResolvedSymbol(name, offset, mapping.Path, SymbolKind.User);
            if (!TryJit(pid, address, out var jit)) return new ResolvedSymbol(null, 0, mapping.Path, SymbolKind.User);
            return jit;
        }
        if (TryJit(pid, address, out var jitSymbol)) return jitSymbol;
        return mapping.Path is { Length: > 0 } pseudo ? new ResolvedSymbol(null, 0, pseudo, SymbolKind.User) : ResolvedSymbol.Unknown;
    }

    private bool TryJit(int pid, ulong address, out ResolvedSymbol symbol)
    {
        if (!perfMaps.TryGetValue(pid, out var map))
        {
            try { map = PerfMapSymbols.ForProcess(pid, PerfMapDirectory); } catch (IOException) { map = null; }
            perfMaps[pid] = map;
        }
        symbol = default;
        return map is not null && map.TryResolve(address, out symbol);
    }

    /// <summary>The symbols of the binary at <paramref name="path"/>, loaded once; null when it cannot be read.</summary>
    public ElfSymbols? BinaryAt(string path)
    {
        if (binaries.TryGetValue(path, out var symbols)) return symbols;
        try { symbols = SharedBinaryCache.Get(SysRoot + path, SysRoot + "/usr/lib/debug"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ElfFormatException or ArgumentException) { symbols = null; }
        binaries[path] = symbols;
        return symbols;
    }
}
