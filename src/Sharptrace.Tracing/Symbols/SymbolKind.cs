namespace Sharptrace.Tracing.Symbols;

/// <summary>Where code lives: flame graphs colour frames by it.</summary>
public enum SymbolKind
{
    /// <summary>Nothing known about the address.</summary>
    Unknown,
    /// <summary>The kernel or a kernel module.</summary>
    Kernel,
    /// <summary>An ELF executable or library.</summary>
    User,
    /// <summary>JIT-compiled code named by /tmp/perf-PID.map (.NET, Node, Java agents).</summary>
    Jit,
}
