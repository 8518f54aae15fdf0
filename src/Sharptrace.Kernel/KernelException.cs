namespace Sharptrace.Kernel;

/// <summary>
/// A system call failed. The message names the operation, the errno name and its text, and, when a
/// privilege is missing, which capability or what lockdown prevents it.
/// </summary>
public class KernelException : Exception
{
    /// <summary>Creates the exception for <paramref name="operation"/> failing with <paramref name="errno"/>.</summary>
    public KernelException(string operation, Errno errno, string? hint = null)
        : base(Format(operation, errno, hint))
    {
        Operation = operation;
        Errno = errno;
        Hint = hint;
    }

    /// <summary>The call that failed, e.g. <c>bpf(BPF_MAP_CREATE)</c>.</summary>
    public string Operation { get; }

    /// <summary>The errno the kernel returned.</summary>
    public Errno Errno { get; }

    /// <summary>What to do about it, when we know.</summary>
    public string? Hint { get; }

    private static string Format(string operation, Errno errno, string? hint) =>
        $"{operation} failed: {errno} ({ErrnoText.Describe(errno)})" + (hint is null ? "" : $": {hint}");

    /// <summary>
    /// Builds the right exception type for an errno: EPERM/EACCES become a
    /// <see cref="KernelPermissionException"/> naming the capability <paramref name="capability"/>.
    /// </summary>
    public static KernelException For(string operation, Errno errno, Capability capability = Capability.None, string? hint = null)
    {
        if ((errno == Errno.EPERM || errno == Errno.EACCES) && capability != Capability.None)
            return new KernelPermissionException(operation, errno, capability);
        return new KernelException(operation, errno, hint);
    }
}

/// <summary>A call failed for lack of privilege: names the missing capability, or kernel lockdown.</summary>
public sealed class KernelPermissionException : KernelException
{
    /// <summary>Creates the exception; the hint is worked out from this process's capabilities.</summary>
    public KernelPermissionException(string operation, Errno errno, Capability needed)
        : base(operation, errno, Explain(needed))
    {
        Needed = needed;
    }

    /// <summary>The capability the operation needs.</summary>
    public Capability Needed { get; }

    private static string Explain(Capability needed)
    {
        var lockdown = Capabilities.Lockdown();
        if (lockdown is not null && lockdown != "none")
            return $"the kernel is in lockdown mode '{lockdown}', which forbids it";
        var alternative = needed is Capability.Bpf or Capability.Perfmon ? " (or CAP_SYS_ADMIN)" : "";
        return Capabilities.Has(needed)
            ? $"needs {Capabilities.Name(needed)}{alternative}, which this process has: a security policy (seccomp, LSM, sysctl) forbids it"
            : Syscall.IsRoot
                ? $"needs {Capabilities.Name(needed)}{alternative}, which this root process lacks (its capabilities were dropped)"
                : $"needs {Capabilities.Name(needed)}{alternative}: run as root";
    }
}
