using Sharptrace.Syscalls.Formatting;

namespace Sharptrace.Syscalls.Decoding;

/// <summary>The options that change how arguments print: -s, -x/-xx, -v.</summary>
/// <param name="StringLimit">-s: bytes of strings and buffers printed before <c>...</c>.</param>
/// <param name="Hex">-x / -xx.</param>
/// <param name="Verbose">-v: unabbreviated structures (not all decoders honour it yet).</param>
public sealed record DecodeOptions(int StringLimit = 32, HexMode Hex = HexMode.None, bool Verbose = false);
