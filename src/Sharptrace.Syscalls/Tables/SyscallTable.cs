using Sharptrace.Kernel;

namespace Sharptrace.Syscalls.Tables;

/// <summary>
/// The system calls of one architecture: number to name and back. The names come from the
/// kernel's own tables (see tools/gen-syscall-tables.py), so they are the kernel's spellings,
/// which are also strace's.
/// </summary>
public sealed class SyscallTable
{
    private readonly string?[] names;
    private readonly Dictionary<string, int> numbers = new(StringComparer.Ordinal);

    private readonly Dictionary<string, int> eventNumbers = new(StringComparer.Ordinal);

    private SyscallTable(Arch arch, string?[] names, Dictionary<string, string> eventNames)
    {
        Arch = arch;
        this.names = names;
        for (var i = 0; i < names.Length; i++)
            if (names[i] is { } name)
            {
                numbers.TryAdd(name, i);
                eventNumbers.TryAdd(eventNames.GetValueOrDefault(name, name), i);
            }
    }

    /// <summary>x86_64, from arch/x86/entry/syscalls/syscall_64.tbl.</summary>
    public static SyscallTable X64 { get; } = new(Arch.X64, SyscallNames.X64, new(StringComparer.Ordinal)
    {
        // The entry points (4th column of syscall_64.tbl) whose name is not the call's.
        ["stat"] = "newstat", ["fstat"] = "newfstat", ["lstat"] = "newlstat", ["uname"] = "newuname",
        ["sendfile"] = "sendfile64", ["umount2"] = "umount",
    });

    /// <summary>arm64, from include/uapi/asm-generic/unistd.h.</summary>
    public static SyscallTable Arm64 { get; } = new(Arch.Arm64, SyscallNames.Arm64, new(StringComparer.Ordinal)
    {
        // The __SYSCALL/__SC_COMP entry points of asm-generic/unistd.h whose name is not the call's.
        ["fstat"] = "newfstat", ["uname"] = "newuname", ["sendfile"] = "sendfile64", ["umount2"] = "umount",
        ["fadvise64"] = "fadvise64_64",
    });

    /// <summary>The table of the architecture this process runs on.</summary>
    public static SyscallTable Current => Arch.Current == Arch.Arm64 ? Arm64 : X64;

    /// <summary>The architecture.</summary>
    public Arch Arch { get; }

    /// <summary>One past the highest known number.</summary>
    public int Count => names.Length;

    /// <summary>All names with their numbers.</summary>
    public IEnumerable<(int Number, string Name)> All
    {
        get
        {
            for (var i = 0; i < names.Length; i++)
                if (names[i] is { } name) yield return (i, name);
        }
    }

    /// <summary>The name of call <paramref name="number"/>, or strace's <c>syscall_0xNNN</c> for unknown numbers.</summary>
    public string NameOf(long number) =>
        number >= 0 && number < names.Length && names[number] is { } name ? name : $"syscall_0x{number:x}";

    /// <summary>Whether <paramref name="number"/> names a known call.</summary>
    public bool IsKnown(long number) => number >= 0 && number < names.Length && names[number] is not null;

    /// <summary>
    /// The number of the call whose tracepoints are syscalls:sys_enter_<paramref name="eventName"/> and
    /// sys_exit_<paramref name="eventName"/>. The kernel names them after the SYSCALL_DEFINE of the
    /// entry point, which for a few calls is not the call's name (stat's is newstat).
    /// </summary>
    public bool TryGetNumberOfEvent(string eventName, out int number) => eventNumbers.TryGetValue(eventName, out number);

    /// <summary>The number of <paramref name="name"/>, if this architecture has that call.</summary>
    public bool TryGetNumber(string name, out int number) => numbers.TryGetValue(name, out number);
}
