namespace Sharptrace.Bpf.Elf;

/// <summary>The binding nibble of st_info.</summary>
public enum ElfSymbolBinding : byte
{
    /// <summary>STB_LOCAL: file scope.</summary>
    Local = 0,
    /// <summary>STB_GLOBAL: visible to all objects.</summary>
    Global = 1,
    /// <summary>STB_WEAK: global with lower precedence.</summary>
    Weak = 2,
    /// <summary>STB_GNU_UNIQUE: unique in the process.</summary>
    GnuUnique = 10,
}
