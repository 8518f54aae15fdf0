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
    // Every mapping of one binary shares its path string (one MMAP2 record, one maps line), so a
    // lookup by reference skips hashing a 40-character path on every resolve.
    private readonly Dictionary<string, ElfSymbols?> binariesByReference = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<int, (PerfMapSymbols? Map, long Length, long CheckedAt)> perfMaps = [];
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
    public string PerfMapDirectory { get; set; } = "/tmp";

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
        {
            var kernelSymbol = Kernel?.Resolve(address) ?? new ResolvedSymbol(null, 0, KernelSymbols.KernelModule, SymbolKind.Kernel);
            return kernelSymbol.Name is null ? kernelSymbol with { Address = address } : kernelSymbol;
        }
        if (cache.TryGet(pid, address, out var cached)) return cached;
        var resolved = ResolveUser(pid, address);
        cache.Set(pid, address, resolved);
        return resolved;
    }

    private ResolvedSymbol ResolveUser(int pid, ulong address)
    {
        if (SpaceOf(pid).TryFind(address, out var mapping) && !mapping.IsAnonymous)
        {
            // perf shows an unnamed address of a binary relative to it, as the file's own addresses go.
            var fileOffset = address - mapping.Start + mapping.FileOffset;
            var symbols = mapping.Path == VdsoSymbols.Module ? VdsoSymbols.Current : mapping.Path.StartsWith('[') ? null : BinaryOf(mapping.Path);
            if (symbols is not null && symbols.TryResolveFileOffset(fileOffset, mapping.Path, SymbolKind.User, out var symbol)) return symbol;
            if (TryJit(pid, address, out var jit)) return jit;
            return new ResolvedSymbol(null, 0, mapping.Path, SymbolKind.User) { Address = fileOffset };
        }
        if (TryJit(pid, address, out var jitSymbol)) return jitSymbol;
        return mapping.Path is { Length: > 0 } pseudo
            ? new ResolvedSymbol(null, 0, pseudo, SymbolKind.User) { Address = address }
            : ResolvedSymbol.Unknown with { Address = address };
    }

    // A JIT writes its map as it compiles: when an address misses, read the map again if it has
    // grown, at most every half second per process (perf top keeps meeting new code).
    private bool TryJit(int pid, ulong address, out ResolvedSymbol symbol)
    {
        symbol = default;
        var now = Environment.TickCount64;
        if (!perfMaps.TryGetValue(pid, out var entry) || (now - entry.CheckedAt >= 500 && PerfMapLength(pid) != entry.Length))
        {
            var length = PerfMapLength(pid);
            PerfMapSymbols? map = null;
            if (length >= 0)
            {
                try { map = PerfMapSymbols.ForProcess(pid, PerfMapDirectory); } catch (IOException) { }
            }
            perfMaps[pid] = entry = (map, length, now);
        }
        if (entry.Map is not null && entry.Map.TryResolve(address, out symbol)) return true;
        if (now - entry.CheckedAt >= 500) perfMaps[pid] = entry with { CheckedAt = now };
        return false;
    }

    private long PerfMapLength(int pid)
    {
        var info = new FileInfo(Path.Combine(PerfMapDirectory, $"perf-{pid}.map"));
        return info.Exists ? info.Length : -1;
    }

    private ElfSymbols? BinaryOf(string path)
    {
        if (binariesByReference.TryGetValue(path, out var symbols)) return symbols;
        // Live maps of many short processes bring new path strings forever: start over now and then.
        if (binariesByReference.Count >= 4096) binariesByReference.Clear();
        binariesByReference[path] = symbols = BinaryAt(path);
        return symbols;
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
