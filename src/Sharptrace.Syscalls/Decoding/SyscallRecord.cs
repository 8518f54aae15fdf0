namespace Sharptrace.Syscalls.Decoding;

/// <summary>A copy the kernel made; <see cref="Faulted"/> when the address could not be read.</summary>
internal sealed record Capture(byte[] Data, bool Faulted, bool More);

/// <summary>One system call as the backend saw it: entry, and exit once it returned.</summary>
internal sealed class SyscallRecord
{
    public int Tid { get; init; }
    public int Tgid { get; init; }
    public int Number { get; init; }
    public ulong[] Args { get; init; } = new ulong[6];
    public long Return { get; set; }
    public bool Returned { get; set; }
    public ulong EnterNs { get; init; }
    public ulong ExitNs { get; set; }
    public Capture?[] Captures { get; } = new Capture?[Decoding.CapturePlan.MaxSlots];
}
