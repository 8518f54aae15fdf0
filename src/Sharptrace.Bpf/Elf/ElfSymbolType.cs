namespace Sharptrace.Bpf.Elf;

/// <summary>The type nibble of st_info.</summary>
public enum ElfSymbolType : byte
{
    /// <summary>STT_NOTYPE.</summary>
    NoType = 0,
    /// <summary>STT_OBJECT: a data object.</summary>
    Object = 1,
    /// <summary>STT_FUNC: a function.</summary>
    Func = 2,
    /// <summary>STT_SECTION: a section.</summary>
    Section = 3,
    /// <summary>STT_FILE: a source file name.</summary>
    File = 4,
    /// <summary>STT_COMMON: a common block.</summary>
    Common = 5,
    /// <summary>STT_TLS: thread-local data.</summary>
    Tls = 6,
    /// <summary>STT_GNU_IFUNC: an indirect function (resolver), e.g. glibc's memcpy.</summary>
    GnuIndirectFunc = 10,
}
