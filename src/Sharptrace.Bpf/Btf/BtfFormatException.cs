namespace Sharptrace.Bpf.Btf;

/// <summary>
/// Raised for malformed BTF: a bad header, a record that runs past its section, an unknown kind, a
/// type or string reference out of range, or a reference chain that loops. Carries the byte offset
/// (from the start of the raw BTF blob) where the problem was found, so a corrupt file can be
/// inspected with a hex dump.
/// </summary>
public sealed class BtfFormatException : FormatException
{
    /// <summary>Creates the exception for a problem found at <paramref name="offset"/>.</summary>
    public BtfFormatException(string problem, long offset)
        : base($"malformed BTF at offset 0x{offset:x}: {problem}")
    {
        Problem = problem;
        Offset = offset;
    }

    /// <summary>What is wrong, without the offset.</summary>
    public string Problem { get; }

    /// <summary>Byte offset into the raw BTF blob where the problem was found.</summary>
    public long Offset { get; }
}
