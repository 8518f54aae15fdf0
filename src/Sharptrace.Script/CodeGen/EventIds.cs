namespace Sharptrace.Script.CodeGen;

/// <summary>
/// The first u64 of every ring buffer record says what it is: a printf call site, exit, or a map
/// operation that user space carries out (print, clear, zero), as bpftrace's async events.
/// </summary>
internal static class EventIds
{
    public const ulong Exit = 1;
    public const ulong PrintfBase = 0x1000;
    public const ulong PrintMapBase = 0x10000;
    public const ulong ClearMapBase = 0x20000;
    public const ulong ZeroMapBase = 0x30000;
    public const ulong PrintValueBase = 0x40000;
    public const ulong TimeBase = 0x50000;
    public const ulong JoinBase = 0x60000;

    /// <summary>join(): at most this many arguments, each cut at <see cref="JoinArgumentSize"/> bytes (bpftrace 0.17's limits are alike).</summary>
    public const int JoinArguments = 16;
    public const int JoinArgumentSize = 64;
    public const int JoinRecordSize = 8 + JoinArguments * JoinArgumentSize;
}
