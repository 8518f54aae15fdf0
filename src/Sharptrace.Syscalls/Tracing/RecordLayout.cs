namespace Sharptrace.Syscalls.Tracing;

/// <summary>
/// The layout of the records the kernel programs write, shared by the code generator and the
/// reader. A record is a header then capture slots, each <c>{u8 slot, u8 flags, u16, u32 length}</c>
/// followed by the data padded to 8 bytes.
/// </summary>
internal static class RecordLayout
{
    public const int Type = 0, Tid = 4, Tgid = 8, Number = 12, Timestamp = 16, Return = 24, EnterTimestamp = 32, LostSnapshot = 40, Args = 80;

    /// <summary>Kept in the in-flight entry only: the thread that entered (0: none) and the call number, for the exit program.</summary>
    public const int Owner = 48, InflightNumber = 52;

    /// <summary>Non-zero when the entry wrote no record and the exit writes the whole call (<see cref="TypeWhole"/>).</summary>
    public const int Deferred = 56;

    /// <summary>-c, in the in-flight entry (where <see cref="Deferred"/> is otherwise): the weight of the call's timing, 0 when untimed.</summary>
    public const int TimeWeight = 56;

    /// <summary>
    /// -c times the first <see cref="TimedExactly"/> calls of each number on a CPU, then one in <see cref="SampleEvery"/>,
    /// counted <see cref="SampleEvery"/> times: a clock read costs some 55 ns in a VM, as much as the rest of both programs.
    /// Counts and errors stay exact.
    /// </summary>
    public const int TimedExactly = 64, SampleEvery = 8;

    /// <summary>Scratch only, at entry: non-zero once an input copy faulted (see SyscallPrograms.EmitDeferOnFault).</summary>
    public const int EntryFaulted = 60;

    /// <summary>Scratch only: where the capture cursor is parked between slots (see SyscallPrograms.EmitSlot).</summary>
    public const int CursorSpill = 64;
    public const int HeaderSize = 128;
    public const int SlotHeaderSize = 8;

    /// <summary>The part of the header kept per thread between entry and exit (timestamp .. args).</summary>
    public const int InflightOffset = Timestamp, InflightSize = HeaderSize - Timestamp;

    /// <summary>Capture data lives in a window addressed with this mask, so the verifier can bound every write.</summary>
    public const int CursorMask = 0x3fff;

    public const int MaxCopy = 4096;

    /// <summary>
    /// An iovec copy takes no further entry once the record's data reaches this many bytes: its last entry (at most MaxCopy
    /// more), the address and ancillary data areas of the messages left and a timeout after it still fit the window.
    /// </summary>
    public const int RecordIovecBudget = CursorMask + 1 - MaxCopy - 3072;

    /// <summary>Header + window + one maximal copy past its end + a slot header + the loop spills.</summary>
    public const int ScratchSize = HeaderSize + CursorMask + 1 + MaxCopy + 64 + 16;

    /// <summary>Scratch only, never sent: the argv/envp/iovec loops' index and length (see SyscallPrograms.EmitStringArray), and the iovec loop's bytes left to spread.</summary>
    public const int LoopIndex = ScratchSize - 16, LoopLength = ScratchSize - 8, LoopRemaining = ScratchSize - 24;

    /// <summary>Scratch only: the mmsghdr loop's messages to copy, the current one, where its part of the copy starts, and the array.</summary>
    public const int LoopMessages = ScratchSize - 32, LoopMessage = ScratchSize - 40, LoopMessageStart = ScratchSize - 48, LoopArray = ScratchSize - 56;

    /// <summary>Scratch only: a value passed through map memory so that the verifier forgets its range (see SyscallPrograms.EmitIovecs).</summary>
    public const int LoopSpill = ScratchSize - 64;

    /// <summary>Beyond this many bytes an argv copy stops and says "...".</summary>
    public const int ArrayBudget = 0x2000;

    public const int MaxArgvStrings = 32;

    /// <summary>getdents64's records counted at most (a <see cref="Decoding.CaptureKind.DirentCount"/> copy): 16384 of 24 bytes, the least, fill 384 KiB.</summary>
    public const int MaxDirents = 16384;

    /// <summary>envp pointers counted in chunks of 8; beyond the last chunk the count ends with "...".</summary>
    public const int EnvpChunks = 64;

    public const uint TypeEnter = 1, TypeExit = 2, TypeProcessExit = 3, TypeWhole = 4, TypeSignal = 5, TypeExec = 6;

    public const byte FlagFault = 1, FlagMore = 2;

    /// <summary>Per-call spec in the specs map: u64 flags then an 8-byte capture slot per <see cref="Decoding.CapturePlan.MaxSlots"/>.</summary>
    public const int SpecSize = 8 + 8 * Decoding.CapturePlan.MaxSlots;

    /// <summary>Spec flag: the call is not shown. Shown is 0 so that only the few specs that differ from zero need writing.</summary>
    public const int SpecHidden = 1;

    /// <summary>Spec flag: the entry always writes a record (calls that never return, replace memory or registers, or create tasks).</summary>
    public const int SpecEntryRecord = 2;

    public const int MaxSyscalls = 1024;

    /// <summary>
    /// In-flight entries live in an array (an inlined lookup, no hash update per call), one slot per
    /// traced thread. The fork program hands out the lower half, user space the upper half.
    /// </summary>
    public const int InflightSlots = 1 << 15;

    /// <summary>A pid_max up to this is served by an array indexed by tid; above it the traced set is a hash.</summary>
    public const int MaxArrayTids = 1 << 22;

    /// <summary>bpf_ringbuf_output flags: call records never wake the reader; a task's end does.</summary>
    public const long RbNoWakeup = 1, RbForceWakeup = 2;

    /// <summary>The start map's entry: the spawning thread's pid_tgid, the child's task pointer, its traced-map value.</summary>
    public const int StartSpawner = 0, StartChild = 8, StartTracedValue = 16, StartSize = 24;

    /// <summary>The start map's child field once the child's execve is traced (no task pointer is 1).</summary>
    public const int StartClaimed = 1;

    /// <summary>-c statistics per call number: calls, errors, nanoseconds.</summary>
    public const int StatsSize = 24;
}
