namespace Sharptrace.Bpf.Elf;

/// <summary>A program header (Elf64_Phdr): how a part of the file is mapped at run time.</summary>
/// <param name="Type">p_type.</param>
/// <param name="Flags">p_flags (PF_X = 1, PF_W = 2, PF_R = 4).</param>
/// <param name="Offset">p_offset: position in the file.</param>
/// <param name="VirtualAddress">p_vaddr.</param>
/// <param name="PhysicalAddress">p_paddr.</param>
/// <param name="FileSize">p_filesz: bytes taken from the file.</param>
/// <param name="MemorySize">p_memsz: bytes in memory (more for .bss).</param>
/// <param name="Alignment">p_align.</param>
public readonly record struct ElfSegment(
    ElfSegmentType Type,
    uint Flags,
    ulong Offset,
    ulong VirtualAddress,
    ulong PhysicalAddress,
    ulong FileSize,
    ulong MemorySize,
    ulong Alignment)
{
    /// <summary>True when <paramref name="address"/> lies in the file-backed part of the segment.</summary>
    public bool ContainsFileBacked(ulong address) => address >= VirtualAddress && address - VirtualAddress < FileSize;

    /// <summary>True for an executable segment (PF_X).</summary>
    public bool IsExecutable => (Flags & 1) != 0;
}
