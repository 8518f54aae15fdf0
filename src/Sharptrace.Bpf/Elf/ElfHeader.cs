namespace Sharptrace.Bpf.Elf;

/// <summary>The ELF file header (Elf32_Ehdr / Elf64_Ehdr), widened to 64-bit fields.</summary>
/// <param name="Is64Bit">ELFCLASS64 (else ELFCLASS32).</param>
/// <param name="IsBigEndian">ELFDATA2MSB (else ELFDATA2LSB).</param>
/// <param name="OsAbi">EI_OSABI.</param>
/// <param name="Type">e_type.</param>
/// <param name="Machine">e_machine (62 = x86-64, 183 = AArch64, 247 = BPF).</param>
/// <param name="Entry">e_entry.</param>
/// <param name="ProgramHeaderOffset">e_phoff.</param>
/// <param name="SectionHeaderOffset">e_shoff.</param>
/// <param name="Flags">e_flags.</param>
/// <param name="ProgramHeaderEntrySize">e_phentsize.</param>
/// <param name="ProgramHeaderCount">e_phnum.</param>
/// <param name="SectionHeaderEntrySize">e_shentsize.</param>
/// <param name="SectionHeaderCount">Number of sections (from section 0 when e_shnum overflowed).</param>
/// <param name="SectionNameTableIndex">Index of the section name table (from section 0 when e_shstrndx overflowed).</param>
public readonly record struct ElfHeader(
    bool Is64Bit,
    bool IsBigEndian,
    byte OsAbi,
    ElfFileType Type,
    ushort Machine,
    ulong Entry,
    ulong ProgramHeaderOffset,
    ulong SectionHeaderOffset,
    uint Flags,
    ushort ProgramHeaderEntrySize,
    int ProgramHeaderCount,
    ushort SectionHeaderEntrySize,
    int SectionHeaderCount,
    int SectionNameTableIndex)
{
    /// <summary>e_machine of x86-64.</summary>
    public const ushort MachineX86_64 = 62;

    /// <summary>e_machine of AArch64.</summary>
    public const ushort MachineAArch64 = 183;

    /// <summary>e_machine of eBPF.</summary>
    public const ushort MachineBpf = 247;
}
