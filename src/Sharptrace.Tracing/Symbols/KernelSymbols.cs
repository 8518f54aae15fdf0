using System.Globalization;

namespace Sharptrace.Tracing.Symbols;

/// <summary>
/// The kernel's text symbols from /proc/kallsyms, modules included ("name [module]"). Without
/// privileges kallsyms shows all-zero addresses (kptr_restrict): <see cref="IsAvailable"/> is then false.
/// </summary>
public sealed class KernelSymbols
{
    /// <summary>The dso name perf gives the kernel image.</summary>
    public const string KernelModule = "[kernel.kallsyms]";

    private static readonly Lock Gate = new();
    private static KernelSymbols? current;
    private readonly SortedSymbolTable table;

    private KernelSymbols(SortedSymbolTable table, ulong textAddress)
    {
        this.table = table;
        TextAddress = textAddress;
    }

    /// <summary>The running kernel's symbols, read once and shared.</summary>
    public static KernelSymbols Current
    {
        get
        {
            lock (Gate) return current ??= Load("/proc/kallsyms");
        }
    }

    /// <summary>The address of _text (where perf anchors the kernel map), or 0 when hidden.</summary>
    public ulong TextAddress { get; }

    /// <summary>True when real addresses were readable.</summary>
    public bool IsAvailable => table.Count > 0;

    /// <summary>How many text symbols.</summary>
    public int Count => table.Count;

    /// <summary>Parses a kallsyms file (any path, for tests).</summary>
    public static KernelSymbols Load(string path)
    {
        using var reader = File.OpenText(path);
        return Parse(reader);
    }

    /// <summary>Parses kallsyms text: "address type name [module]".</summary>
    public static KernelSymbols Parse(TextReader reader)
    {
        var entries = new List<(ulong, ulong, string, string?)>(200_000);
        var modules = new Dictionary<string, string>(StringComparer.Ordinal);
        ulong text = 0;
        while (reader.ReadLine() is { } line)
        {
            var parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3 || parts[1].Length != 1) continue;
            if (!ulong.TryParse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var address) || address == 0) continue;
            var type = parts[1][0];
            if (parts[2] == "_text") text = address;
            if (type is not ('t' or 'T' or 'w' or 'W')) continue;
            string? module = null;
            if (parts.Length > 3 && parts[3].StartsWith('['))
            {
                if (!modules.TryGetValue(parts[3], out module)) modules[parts[3]] = module = parts[3];
            }
            entries.Add((address, 0, parts[2], module));
        }
        return new KernelSymbols(new SortedSymbolTable(entries, hasModules: true), text);
    }

    /// <summary>Resolves a kernel address; the module is "[kernel.kallsyms]" or "[modname]".</summary>
    public ResolvedSymbol Resolve(ulong address) =>
        table.TryFind(address, out var name, out var offset, out var module)
            ? new ResolvedSymbol(name, offset, string.IsNullOrEmpty(module) ? KernelModule : module, SymbolKind.Kernel)
            : new ResolvedSymbol(null, 0, KernelModule, SymbolKind.Kernel);

    /// <summary>True for addresses in the kernel half of the x86-64/arm64 address space.</summary>
    public static bool IsKernelAddress(ulong address) => address >= 0xffff_8000_0000_0000;
}
