namespace Sharptrace.Bpf.Asm;

/// <summary>A program that cannot be assembled: an undefined label, a jump too far for its encoding, a label marked twice.</summary>
public sealed class AssemblerException : InvalidOperationException
{
    /// <summary>Creates the exception with its message.</summary>
    public AssemblerException(string message)
        : base(message)
    {
    }
}
