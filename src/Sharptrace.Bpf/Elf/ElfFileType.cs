namespace Sharptrace.Bpf.Elf;

/// <summary>The e_type of an ELF file.</summary>
public enum ElfFileType : ushort
{
    /// <summary>ET_NONE.</summary>
    None = 0,
    /// <summary>ET_REL: an object file (.o), e.g. a compiled BPF program.</summary>
    Relocatable = 1,
    /// <summary>ET_EXEC: an executable loaded at fixed addresses (non-PIE).</summary>
    Executable = 2,
    /// <summary>ET_DYN: a shared library or a position-independent executable.</summary>
    SharedObject = 3,
    /// <summary>ET_CORE: a core dump.</summary>
    Core = 4,
}
