namespace Sharptrace.Bpf.Elf;

/// <summary>A symbol from .symtab or .dynsym.</summary>
/// <param name="Name">The symbol name.</param>
/// <param name="Value">st_value: a virtual address in executables and libraries, a section offset in object files.</param>
/// <param name="Size">st_size.</param>
/// <param name="Type">Type from st_info.</param>
/// <param name="Binding">Binding from st_info.</param>
/// <param name="Visibility">st_other &amp; 3 (STV_DEFAULT = 0, STV_HIDDEN = 2).</param>
/// <param name="SectionIndex">st_shndx (0 = undefined, 0xfff1 = absolute).</param>
/// <param name="IsDynamic">True when it came from .dynsym.</param>
public readonly record struct ElfSymbol(
    string Name,
    ulong Value,
    ulong Size,
    ElfSymbolType Type,
    ElfSymbolBinding Binding,
    byte Visibility,
    ushort SectionIndex,
    bool IsDynamic)
{
    /// <summary>True when the symbol is defined in this file (not SHN_UNDEF).</summary>
    public bool IsDefined => SectionIndex != 0;

    /// <summary>True for a defined function (STT_FUNC or STT_GNU_IFUNC) with an address.</summary>
    public bool IsDefinedFunction => IsDefined && Type is ElfSymbolType.Func or ElfSymbolType.GnuIndirectFunc;
}
