namespace Sharptrace.Bpf.Elf;

/// <summary>A section header (Elf64_Shdr) with its name resolved.</summary>
/// <param name="Index">Index in the section header table.</param>
/// <param name="Name">Name from the section name table ("" if none).</param>
/// <param name="Type">sh_type.</param>
/// <param name="Flags">sh_flags (SHF_ALLOC = 2, SHF_EXECINSTR = 4).</param>
/// <param name="Address">sh_addr: virtual address when loaded.</param>
/// <param name="Offset">sh_offset: position in the file.</param>
/// <param name="Size">sh_size.</param>
/// <param name="Link">sh_link (e.g. the string table of a symbol table).</param>
/// <param name="Info">sh_info.</param>
/// <param name="Alignment">sh_addralign.</param>
/// <param name="EntrySize">sh_entsize: size of one entry of a table section.</param>
public readonly record struct ElfSection(
    int Index,
    string Name,
    ElfSectionType Type,
    ulong Flags,
    ulong Address,
    ulong Offset,
    ulong Size,
    uint Link,
    uint Info,
    ulong Alignment,
    ulong EntrySize)
{
    /// <summary>True when the section has bytes in the file (not SHT_NOBITS or SHT_NULL).</summary>
    public bool HasFileData => Type is not (ElfSectionType.NoBits or ElfSectionType.Null);
}
