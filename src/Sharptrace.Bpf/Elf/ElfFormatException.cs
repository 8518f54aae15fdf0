namespace Sharptrace.Bpf.Elf;

/// <summary>
/// Raised when a file is not ELF or its headers, tables or notes are malformed. Carries the byte
/// offset in the file where the problem was found, and the file's path when it is known.
/// </summary>
public sealed class ElfFormatException : FormatException
{
    /// <summary>Creates the exception for a problem at <paramref name="offset"/> in <paramref name="path"/>.</summary>
    public ElfFormatException(string problem, long offset, string? path = null)
        : base($"{(path is null ? "malformed ELF" : $"{path}: malformed ELF")} at offset 0x{offset:x}: {problem}")
    {
        Problem = problem;
        Offset = offset;
        Path = path;
    }

    /// <summary>What is wrong, without the offset.</summary>
    public string Problem { get; }

    /// <summary>Byte offset into the file where the problem was found.</summary>
    public long Offset { get; }

    /// <summary>The file, when parsed from a path.</summary>
    public string? Path { get; }
}
