using Sharptrace.Kernel;

namespace Sharptrace.Syscalls.Tracing;

/// <summary>Which backend traces: eBPF (the default) or ptrace.</summary>
public enum BackendKind
{
    /// <summary>In-kernel filtering, copying and counting (raw syscall tracepoints).</summary>
    Ebpf,
    /// <summary>ptrace stops, as strace: slow, needs no BPF.</summary>
    Ptrace,
}

/// <summary>Opens the backend asked for; eBPF falls back to ptrace where the kernel refuses BPF.</summary>
public static class SyscallBackends
{
    /// <summary>Parses a --backend value (ebpf, bpf, ptrace); null when unknown.</summary>
    public static BackendKind? Parse(string name) => name.ToLowerInvariant() switch
    {
        "ebpf" or "bpf" => BackendKind.Ebpf,
        "ptrace" => BackendKind.Ptrace,
        _ => null,
    };

    /// <summary>
    /// The backend <paramref name="kind"/>. When eBPF cannot be used here (bpf() denied without
    /// CAP_BPF/CAP_PERFMON, absent, or the raw tracepoints missing), the ptrace backend is used and
    /// <paramref name="fellBack"/> is told why.
    /// </summary>
    public static ISyscallBackend Open(StraceOptions options, BackendKind kind, Action<string>? fellBack = null)
    {
        if (kind == BackendKind.Ptrace) return new PtraceTracer(options);
        try
        {
            return new SyscallTracer(options);
        }
        catch (KernelException e) when (e.Errno is Errno.EPERM or Errno.EACCES or Errno.ENOSYS or Errno.ENOENT or Errno.EOPNOTSUPP or Errno.EINVAL)
        {
            fellBack?.Invoke(e.Message);
        }
        catch (TracepointNotFoundException e)
        {
            fellBack?.Invoke(e.Message);
        }
        return new PtraceTracer(options);
    }
}
