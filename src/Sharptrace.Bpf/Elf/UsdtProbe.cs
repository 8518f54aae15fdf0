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
    public IReadOnlyList<UsdtArgument> Arguments(ushort machine) =>
        ArgumentText.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(spec => UsdtArgument.Parse(spec, machine)).ToList();

    /// <summary>
    /// The argument specs parsed for <paramref name="elf"/>'s machine, with symbol operands
    /// (<c>counter(%rip)</c>) found in its symbol tables and made relative to this probe's site.
    /// </summary>
    /// <exception cref="FormatException">A spec this reader does not understand, or a symbol the file does not define.</exception>
    public IReadOnlyList<UsdtArgument> Arguments(ElfFile elf) => Arguments(elf.Header.Machine).Select(argument =>
    {
        if (argument.Symbol is not { } name) return argument;
        if (!elf.TryFindSymbol(name, out var symbol) || !symbol.IsDefined)
        {
            var stripped = elf.FindSection(".symtab") is null ? " (the file is stripped: only .dynsym was searched)" : "";
            throw new FormatException($"USDT argument '{argument.Spec}': symbol '{name}' is not defined in {elf.DisplayName}{stripped}");
        }
        return argument.RelativeTo(symbol.Value, Address);
    }).ToList();

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
