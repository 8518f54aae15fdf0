using System.Runtime.CompilerServices;
using Sharptrace.Kernel.Interop;
using Sharptrace.Kernel.Uapi;

namespace Sharptrace.Kernel;

/// <summary>The bpf(2) system call, with errors that name the command.</summary>
public static unsafe class BpfSyscall
{
    /// <summary>Calls bpf(<paramref name="command"/>, &amp;attr, sizeof(attr)); returns the result (often an fd) or -1 with <see cref="Syscall.LastErrno"/> set.</summary>
    public static int TryInvoke<T>(BpfCommand command, ref T attr) where T : unmanaged
    {
        fixed (T* p = &attr)
        {
            long result;
            do result = Libc.Syscall(Arch.Current.BpfSyscall, (nint)command, (nint)p, sizeof(T), 0, 0);
            while (result < 0 && Syscall.LastErrno == Errno.EINTR);
            return (int)result;
        }
    }

    /// <summary>Like <see cref="TryInvoke{T}"/> but throws a <see cref="KernelException"/> naming the command.</summary>
    public static int Invoke<T>(BpfCommand command, ref T attr, string? subject = null) where T : unmanaged
    {
        var result = TryInvoke(command, ref attr);
        if (result < 0) throw Error(command, Syscall.LastErrno, subject);
        return result;
    }

    /// <summary>Calls a bpf command that returns a new fd and wraps it.</summary>
    public static KernelFd InvokeForFd<T>(BpfCommand command, ref T attr, string? subject = null) where T : unmanaged =>
        KernelFd.Own(Invoke(command, ref attr, subject));

    /// <summary>The exception for <paramref name="command"/> failing with <paramref name="errno"/>.</summary>
    public static KernelException Error(BpfCommand command, Errno errno, string? subject = null)
    {
        var name = $"bpf({CommandName(command)})" + (subject is null ? "" : $" for {subject}");
        // bpf needs CAP_BPF, plus CAP_PERFMON for tracing programs; CAP_SYS_ADMIN covers both.
        var capability = Capabilities.Has(Capability.Bpf) ? Capability.Perfmon : Capability.Bpf;
        return KernelException.For(name, errno, capability);
    }

    /// <summary>The UAPI name of a command, e.g. BPF_MAP_CREATE.</summary>
    public static string CommandName(BpfCommand command)
    {
        var text = command.ToString();
        var builder = new System.Text.StringBuilder("BPF");
        foreach (var c in text)
        {
            if (char.IsUpper(c)) builder.Append('_');
            builder.Append(char.ToUpperInvariant(c));
        }
        return builder.ToString();
    }

    /// <summary>Writes a NUL-padded object name into a fixed 16-byte field (kernel names allow [A-Za-z0-9_.]).</summary>
    public static void WriteObjectName(byte* field, string name)
    {
        var length = 0;
        foreach (var c in name)
        {
            if (length == 15) break;
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '.') field[length++] = (byte)c;
        }
        for (var i = length; i < 16; i++) field[i] = 0;
    }

    /// <summary>Pointer of a pinned span as the u64 the UAPI wants.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Address(void* pointer) => (ulong)pointer;
}
