namespace Sharptrace.Tracing.DynamicEvents;

/// <summary>
/// Where a kprobe/uprobe fetch arg takes its value from, as the kernel's trace_probe parser reads it
/// (Documentation/trace/kprobetrace.rst): a register, a special variable, or memory at an address
/// that is itself a fetch (nested derefs).
/// </summary>
public abstract record FetchNode;

/// <summary><c>%REG</c>: a register of the probed context (x86 "di", arm64 "x0"…).</summary>
public sealed record RegisterFetch(string Name) : FetchNode;

/// <summary><c>+|-[u]OFFS(FETCH)</c> and <c>@ADDR</c>: memory at the inner value plus the offset; <c>u</c> reads user memory from a kprobe.</summary>
public sealed record MemoryFetch(long Offset, FetchNode Address, bool User) : FetchNode;

/// <summary><c>$retval</c>: the return value (return probes only).</summary>
public sealed record ReturnValueFetch : FetchNode;

/// <summary><c>$argN</c>: the Nth (1-based) function argument by the calling convention.</summary>
public sealed record FunctionArgumentFetch(int Number) : FetchNode;

/// <summary><c>$stackN</c>: the Nth word on the stack (<see cref="Index"/> &gt;= 0), or <c>$stack</c>: the stack pointer itself (-1).</summary>
public sealed record StackFetch(int Index) : FetchNode;

/// <summary><c>$comm</c>: the current task's name (a string).</summary>
public sealed record CommFetch : FetchNode;

/// <summary><c>\IMM</c>: a constant; also the address that <c>@ADDR</c> reads.</summary>
public sealed record ImmediateFetch(ulong Value) : FetchNode;

/// <summary><c>@SYM[+|-OFFS]</c>: the address of a kernel symbol (kprobes), read through a <see cref="MemoryFetch"/>.</summary>
public sealed record SymbolFetch(string Symbol, long Offset) : FetchNode;
