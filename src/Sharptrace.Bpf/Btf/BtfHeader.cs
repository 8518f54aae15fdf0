namespace Sharptrace.Bpf.Btf;

/// <summary>
/// The fixed header at the start of a raw BTF blob (struct btf_header). Section offsets are
/// relative to the end of the header, i.e. to <see cref="HeaderLength"/>.
/// </summary>
/// <param name="Magic">0xeB9F as read in the blob's own byte order.</param>
/// <param name="Version">Format version; only 1 exists.</param>
/// <param name="Flags">Header flags (none are defined today).</param>
/// <param name="HeaderLength">Length of the header; at least 24, larger in newer formats.</param>
/// <param name="TypeOffset">Start of the type section after the header.</param>
/// <param name="TypeLength">Length of the type section in bytes.</param>
/// <param name="StringOffset">Start of the string section after the header.</param>
/// <param name="StringLength">Length of the string section in bytes.</param>
/// <param name="IsBigEndian">True when the blob was written big-endian (magic read as 0x9FeB).</param>
public readonly record struct BtfHeader(
    ushort Magic,
    byte Version,
    byte Flags,
    uint HeaderLength,
    uint TypeOffset,
    uint TypeLength,
    uint StringOffset,
    uint StringLength,
    bool IsBigEndian)
{
    /// <summary>The BTF magic number in the native byte order.</summary>
    public const ushort ExpectedMagic = 0xEB9F;

    /// <summary>Size of the version-1 header with the fields above.</summary>
    public const int MinimumLength = 24;
}
