using System.Buffers.Binary;
using System.Text;

namespace Sharptrace.Bpf.Elf;

/// <summary>
/// One USDT (SystemTap SDT) probe from a <c>.note.stapsdt</c> note: where the probe's nop is, the
/// semaphore a tracer raises while attached (0 for none), and the argument specs.
/// </summary>
/// <param name="Provider">The provider ("namespace"), e.g. "libstdcxx".</param>
/// <param name="Name">The probe name, e.g. "throw".</param>
/// <param name="Address">The probe site's virtual address, adjusted for prelinking through .stapsdt.base.</param>
/// <param name="FileOffset">The probe site's file offset: what a uprobe attaches at.</param>
/// <param name="SemaphoreAddress">The semaphore's virtual address (adjusted likewise), 0 when the probe has none.</param>
/// <param name="SemaphoreFileOffset">The semaphore's file offset (the uprobe ref_ctr_offset), 0 when none.</param>
/// <param name="ArgumentText">The raw argument specs, space-separated ("-4@%edi 8@-8(%rbp)").</param>
public sealed record UsdtProbe(string Provider, string Name, ulong Address, ulong FileOffset, ulong SemaphoreAddress, ulong SemaphoreFileOffset, string ArgumentText)
{
    /// <summary>
    /// The probes of <paramref name="elf"/>, in note order. The note holds link-time addresses and
    /// the link-time address of .stapsdt.base; when the file was prelinked since, the section moved
    /// and the probe and semaphore addresses move by the same amount (as sys/sdt.h documents).
    /// </summary>
    /// <exception cref="ElfFormatException">A note too short for its three addresses and strings.</exception>
    public static IReadOnlyList<UsdtProbe> Read(ElfFile elf)
    {
        var probes = new List<UsdtProbe>();
        var baseSection = elf.FindSection(".stapsdt.base");
        foreach (var note in elf.Notes)
        {
            if (note.Owner != "stapsdt" || note.Type != ElfNote.StapSdtType) continue;
            var d = note.Descriptor.Span;
            var wordSize = elf.Header.Is64Bit ? 8 : 4;
            if (d.Length < 3 * wordSize + 3) throw new ElfFormatException($"stapsdt note of {d.Length} bytes is too short", 0, elf.Path);
            var address = Word(d, 0, wordSize, elf.Header.IsBigEndian);
            var linkBase = Word(d, 1, wordSize, elf.Header.IsBigEndian);
            var semaphore = Word(d, 2, wordSize, elf.Header.IsBigEndian);
            if (baseSection is { } section && linkBase != 0)
            {
                var shift = section.Address - linkBase;
                address += shift;
                if (semaphore != 0) semaphore += shift;
            }
            var strings = d[(3 * wordSize)..];
            var provider = NextString(ref strings);
            var name = NextString(ref strings);
            var arguments = NextString(ref strings);
            ulong fileOffset = elf.Header.Type == ElfFileType.Relocatable ? address
                : elf.TryGetFileOffset(address, out var offset) ? offset
                : throw new ElfFormatException($"USDT probe {provider}:{name} at 0x{address:x} is in no loaded segment", 0, elf.Path);
            ulong semaphoreOffset = 0;
            if (semaphore != 0 && !elf.TryGetFileOffset(semaphore, out semaphoreOffset))
                throw new ElfFormatException($"semaphore of USDT probe {provider}:{name} at 0x{semaphore:x} is in no loaded segment", 0, elf.Path);
            probes.Add(new UsdtProbe(provider, name, address, fileOffset, semaphore, semaphoreOffset, arguments));
        }
        return probes;
    }

    /// <summary>The argument specs parsed for <paramref name="machine"/> (the ELF e_machine).</summary>
    /// <exception cref="FormatException">A spec this reader does not understand, with the spec in the message.</exception>
    public IReadOnlyList<UsdtArgument> Arguments(ushort machine) => ArgumentSpecs.Select(spec => UsdtArgument.Parse(spec, machine)).ToList();

    /// <summary>The argument specs as the note writes them, one per argument ("-4@%edi").</summary>
    public IReadOnlyList<string> ArgumentSpecs => ArgumentText.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// The argument specs parsed for <paramref name="elf"/>'s machine, with symbol operands
    /// (<c>counter(%rip)</c>) found in its symbol tables and made relative to this probe's site.
    /// </summary>
    /// <exception cref="FormatException">A spec this reader does not understand, or a symbol the file does not define.</exception>
    public IReadOnlyList<UsdtArgument> Arguments(ElfFile elf) => Enumerable.Range(0, ArgumentSpecs.Count).Select(i => Argument(elf, i)).ToList();

    /// <summary>Argument <paramref name="index"/> as <see cref="Arguments(ElfFile)"/> gives it.</summary>
    /// <exception cref="FormatException">Its spec is not understood, or names a symbol the file does not define.</exception>
    public UsdtArgument Argument(ElfFile elf, int index)
    {
        var argument = UsdtArgument.Parse(ArgumentSpecs[index], elf.Header.Machine);
        return argument.Symbol is { } name ? argument.RelativeTo(SymbolAddress(elf, name, argument.Spec), Address) : argument;
    }

    /// <summary>
    /// The link-time address of the variable an operand names: its global definition, else its one
    /// file-local one (a static); statics of the same name from several sources cannot be told apart.
    /// </summary>
    private static ulong SymbolAddress(ElfFile elf, string name, string spec)
    {
        var defined = elf.Symbols.Concat(elf.DynamicSymbols).Where(s => s.Name == name && s.IsDefined).ToList();
        var global = defined.Where(s => s.Binding != ElfSymbolBinding.Local).Select(s => s.Value).Distinct().ToList();
        var addresses = global.Count > 0 ? global : defined.Select(s => s.Value).Distinct().ToList();
        if (addresses.Count == 1) return addresses[0];
        if (addresses.Count > 1)
            throw new FormatException($"USDT argument '{spec}': {addresses.Count} file-local symbols '{name}' in {elf.DisplayName}, cannot tell which one the probe reads");
        var stripped = elf.FindSection(".symtab") is null ? " (the file is stripped: only .dynsym was searched)" : "";
        throw new FormatException($"USDT argument '{spec}': symbol '{name}' is not defined in {elf.DisplayName}{stripped}");
    }

    private static ulong Word(ReadOnlySpan<byte> d, int index, int size, bool bigEndian) => size == 8
        ? (bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(d[(index * 8)..]) : BinaryPrimitives.ReadUInt64LittleEndian(d[(index * 8)..]))
        : (bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(d[(index * 4)..]) : BinaryPrimitives.ReadUInt32LittleEndian(d[(index * 4)..]));

    private static string NextString(ref ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)0);
        if (end < 0) end = bytes.Length;
        var text = Encoding.UTF8.GetString(bytes[..end]);
        bytes = end < bytes.Length ? bytes[(end + 1)..] : [];
        return text;
    }
}
