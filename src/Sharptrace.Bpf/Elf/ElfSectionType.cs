namespace Sharptrace.Bpf.Elf;

/// <summary>The sh_type of an ELF section (the ones this reader looks at; others keep their number).</summary>
public enum ElfSectionType : uint
{
    /// <summary>SHT_NULL: unused entry.</summary>
    Null = 0,
    /// <summary>SHT_PROGBITS: program data.</summary>
    ProgBits = 1,
    /// <summary>SHT_SYMTAB: the full symbol table.</summary>
    SymbolTable = 2,
    /// <summary>SHT_STRTAB: a string table.</summary>
    StringTable = 3,
    /// <summary>SHT_RELA: relocations with addends.</summary>
    Rela = 4,
    /// <summary>SHT_HASH: symbol hash table.</summary>
    Hash = 5,
    /// <summary>SHT_DYNAMIC: dynamic linking information.</summary>
    Dynamic = 6,
    /// <summary>SHT_NOTE: notes.</summary>
    Note = 7,
    /// <summary>SHT_NOBITS: occupies no file space (.bss).</summary>
    NoBits = 8,
    /// <summary>SHT_REL: relocations without addends.</summary>
    Rel = 9,
    /// <summary>SHT_DYNSYM: the dynamic symbol table.</summary>
    DynamicSymbolTable = 11,
}
