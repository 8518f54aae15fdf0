namespace Sharptrace.Bpf.Asm;

/// <summary>
/// The eleven eBPF registers. R0 holds return values, R1-R5 carry call arguments (and are
/// clobbered by calls), R6-R9 survive calls, and R10 is the read-only frame pointer.
/// </summary>
public enum Register : byte
{
    /// <summary>Return value of helpers, subprograms and the program itself.</summary>
    R0 = 0,
    /// <summary>First argument; holds the context pointer on program entry.</summary>
    R1 = 1,
    /// <summary>Second argument.</summary>
    R2 = 2,
    /// <summary>Third argument.</summary>
    R3 = 3,
    /// <summary>Fourth argument.</summary>
    R4 = 4,
    /// <summary>Fifth argument.</summary>
    R5 = 5,
    /// <summary>Callee-saved.</summary>
    R6 = 6,
    /// <summary>Callee-saved.</summary>
    R7 = 7,
    /// <summary>Callee-saved.</summary>
    R8 = 8,
    /// <summary>Callee-saved.</summary>
    R9 = 9,
    /// <summary>Read-only frame pointer; the 512-byte stack lies below it.</summary>
    R10 = 10,
}
