namespace Sharptrace.Bpf.Asm;

/// <summary>
/// What produced an instruction: a comment, and for generated code the source position, so a
/// verifier error at an instruction index can point back at the script line.
/// </summary>
/// <param name="Comment">Free text, e.g. the source line or what the code does.</param>
public sealed record InstructionAnnotation(string Comment)
{
    /// <summary>Source file name, if the instruction came from a script.</summary>
    public string? File { get; init; }

    /// <summary>1-based source line, or 0 when unknown.</summary>
    public int Line { get; init; }

    /// <summary>1-based source column, or 0 when unknown.</summary>
    public int Column { get; init; }

    /// <summary><c>file:line:col: comment</c>, leaving out the parts that are unknown.</summary>
    public override string ToString()
    {
        if (Line == 0)
            return Comment;
        var position = Column > 0 ? $"{Line}:{Column}" : $"{Line}";
        return File is null ? $"{position}: {Comment}" : $"{File}:{position}: {Comment}";
    }
}
