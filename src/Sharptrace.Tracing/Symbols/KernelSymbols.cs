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
    private readonly CompactSymbolTable table;

    private KernelSymbols(CompactSymbolTable table, ulong textAddress)
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
    public static KernelSymbols Load(string path) => ParseBytes(File.ReadAllBytes(path));

    /// <summary>Parses kallsyms text: "address type name [module]".</summary>
    public static KernelSymbols Parse(TextReader reader) => ParseBytes(System.Text.Encoding.UTF8.GetBytes(reader.ReadToEnd()));

    // One pass over the bytes that compacts the text symbols' names in place, each NUL-terminated,
    // into the front of the same buffer (the write cursor never passes the read cursor, since every
    // line loses at least its address): no string per line, and a third of the file kept.
    private static KernelSymbols ParseBytes(byte[] text)
    {
        var builder = new CompactSymbolTable.Builder(text.Length / 40);
        ulong textAddress = 0;
        var write = 0;
        var at = 0;
        while (at < text.Length)
        {
            var lineEnd = Array.IndexOf(text, (byte)'\n', at);
            if (lineEnd < 0) lineEnd = text.Length;
            var line = text.AsSpan(at, lineEnd - at);
            at = lineEnd + 1;
            line = line.TrimStart(" \t"u8);
            var space = line.IndexOfAny((byte)' ', (byte)'\t');
            if (space <= 0 || !TryHex(line[..space], out var address) || address == 0) continue;
            var rest = line[space..].TrimStart(" \t"u8);
            if (rest.Length < 3 || rest[1] is not ((byte)' ' or (byte)'\t')) continue;
            var type = rest[0];
            rest = rest[2..].TrimStart(" \t"u8);
            var nameEnd = rest.IndexOfAny((byte)' ', (byte)'\t');
            var name = nameEnd < 0 ? rest.TrimEnd("\r"u8) : rest[..nameEnd];
            if (name.IsEmpty) continue;
            if (name.SequenceEqual("_text"u8)) textAddress = address;
            if (type is not ((byte)'t' or (byte)'T' or (byte)'w' or (byte)'W')) continue;
            ushort module = 0;
            if (nameEnd >= 0)
            {
                var tail = rest[nameEnd..].Trim(" \t\r"u8);
                if (tail.Length > 0 && tail[0] == (byte)'[') module = builder.Module(System.Text.Encoding.UTF8.GetString(tail));
            }
            name.CopyTo(text.AsSpan(write)); // memmove: the name lies at or after write
            builder.Add(address, 0, (uint)write, module);
            write += name.Length;
            text[write++] = 0;
        }
        Array.Resize(ref text, write);
        return new KernelSymbols(builder.Build(text), textAddress);
    }

    private static bool TryHex(ReadOnlySpan<byte> digits, out ulong value)
    {
        value = 0;
        if (digits.Length is 0 or > 16) return false;
        foreach (var c in digits)
        {
            var d = c is >= (byte)'0' and <= (byte)'9' ? c - '0' : (c | 0x20) is >= 'a' and <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
            if (d < 0) return false;
            value = value << 4 | (uint)d;
        }
        return true;
    }

    /// <summary>Resolves a kernel address; the module is "[kernel.kallsyms]" or "[modname]".</summary>
    public ResolvedSymbol Resolve(ulong address) =>
        table.TryFind(address, out var name, out var offset, out var module)
            ? new ResolvedSymbol(name, offset, string.IsNullOrEmpty(module) ? KernelModule : module, SymbolKind.Kernel)
            : new ResolvedSymbol(null, 0, KernelModule, SymbolKind.Kernel);

    /// <summary>True for addresses in the kernel half of the x86-64/arm64 address space.</summary>
    public static bool IsKernelAddress(ulong address) => address >= 0xffff_8000_0000_0000;
}
