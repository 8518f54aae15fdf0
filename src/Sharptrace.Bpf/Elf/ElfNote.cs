namespace Sharptrace.Bpf.Elf;

/// <summary>One note from a SHT_NOTE section or PT_NOTE segment.</summary>
/// <param name="Owner">The note name ("GNU", "stapsdt", ...), without its NUL.</param>
/// <param name="Type">n_type (NT_GNU_BUILD_ID = 3, stapsdt = 3 in its own namespace).</param>
/// <param name="Descriptor">The descriptor bytes.</param>
/// <param name="Section">The section it came from, or "" for a segment.</param>
public readonly record struct ElfNote(string Owner, uint Type, ReadOnlyMemory<byte> Descriptor, string Section)
{
    /// <summary>n_type of a GNU build-id note.</summary>
    public const uint GnuBuildIdType = 3;

    /// <summary>n_type of a SystemTap SDT (USDT) probe note.</summary>
    public const uint StapSdtType = 3;
}
