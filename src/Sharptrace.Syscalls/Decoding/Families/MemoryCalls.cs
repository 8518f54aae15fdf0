using static Sharptrace.Syscalls.Decoding.ArgKind;

namespace Sharptrace.Syscalls.Decoding.Families;

/// <summary>Calls on the address space.</summary>
internal static class MemoryCalls
{
    private static SyscallDecoder D(string name, Arg[] args, ReturnKind ret = ReturnKind.Int) => new(name, args, ret);

    public static IEnumerable<SyscallDecoder> All =>
    [
        D("brk", [Ptr], ReturnKind.Hex),
        D("mmap", [Ptr, ULong, new(FlagBits, Flags.Prot), MmapFlags, Fd, Hex], ReturnKind.Hex),
        D("munmap", [Ptr, ULong]),
        D("mprotect", [Ptr, ULong, new(FlagBits, Flags.Prot)]),
        D("madvise", [Ptr, ULong, new(EnumValue, Flags.Madvise)]),
        D("mremap", [Ptr, ULong, ULong, Hex, Ptr], ReturnKind.Hex),
        D("msync", [Ptr, ULong, Hex]),
        D("mlock", [Ptr, ULong]),
        D("munlock", [Ptr, ULong]),
        D("mlockall", [new(FlagBits, MoreFlags.Mlockall)]),
        D("munlockall", []),
        D("mincore", [Ptr, ULong, new(MincoreOut, Related: 1)]),
        D("membarrier", [new(EnumValue, MoreFlags.Membarrier), Int]),
    ];
}
