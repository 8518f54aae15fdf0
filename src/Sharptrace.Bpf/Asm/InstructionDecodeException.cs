namespace Sharptrace.Bpf.Asm;

/// <summary>Raised when bytes do not form whole eBPF instructions; carries the byte offset of the problem.</summary>
public sealed class InstructionDecodeException : FormatException
{
    /// <summary>Creates the exception for the problem at <paramref name="byteOffset"/>.</summary>
    public InstructionDecodeException(string message, long byteOffset)
        : base($"{message} (at byte offset {byteOffset})")
    {
        ByteOffset = byteOffset;
    }

    /// <summary>Offset in the input where the bad or truncated instruction starts.</summary>
    public long ByteOffset { get; }
}
