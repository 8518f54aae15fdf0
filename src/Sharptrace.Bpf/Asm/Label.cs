namespace Sharptrace.Bpf.Asm;

/// <summary>
/// A position in an <see cref="Assembler"/>'s program that jumps and calls can target before it is
/// known. Create it with <see cref="Assembler.DefineLabel"/>, place it with <see cref="Assembler.MarkLabel"/>.
/// </summary>
public readonly record struct Label
{
    internal Label(int id, int ownerId)
    {
        Id = id;
        OwnerId = ownerId;
    }

    /// <summary>Number of the label within its assembler, in order of definition.</summary>
    public int Id { get; }

    // Catches a label handed to the wrong assembler, which would otherwise resolve to a random position.
    internal int OwnerId { get; }
}
