namespace Sharptrace.Bpf.Elf;

/// <summary>The .gnu_debuglink section: the name of the separate debug file and its CRC-32.</summary>
/// <param name="FileName">Debug file name, to look up next to the binary or under /usr/lib/debug.</param>
/// <param name="Crc32">CRC-32 of the debug file.</param>
public readonly record struct ElfDebugLink(string FileName, uint Crc32);
