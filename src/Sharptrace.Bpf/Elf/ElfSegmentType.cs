namespace Sharptrace.Bpf.Elf;

/// <summary>The p_type of an ELF program header (segment).</summary>
public enum ElfSegmentType : uint
{
    /// <summary>PT_NULL: unused entry.</summary>
    Null = 0,
    /// <summary>PT_LOAD: mapped from the file at run time.</summary>
    Load = 1,
    /// <summary>PT_DYNAMIC: dynamic linking information.</summary>
    Dynamic = 2,
    /// <summary>PT_INTERP: path of the program interpreter.</summary>
    Interpreter = 3,
    /// <summary>PT_NOTE: notes.</summary>
    Note = 4,
    /// <summary>PT_PHDR: the program header table itself.</summary>
    ProgramHeaders = 6,
    /// <summary>PT_TLS: thread-local storage template.</summary>
    Tls = 7,
    /// <summary>PT_GNU_EH_FRAME: the exception frame header.</summary>
    GnuEhFrame = 0x6474e550,
    /// <summary>PT_GNU_STACK: stack executability.</summary>
    GnuStack = 0x6474e551,
    /// <summary>PT_GNU_RELRO: read-only after relocation.</summary>
    GnuRelro = 0x6474e552,
    /// <summary>PT_GNU_PROPERTY: GNU property notes.</summary>
    GnuProperty = 0x6474e553,
}
