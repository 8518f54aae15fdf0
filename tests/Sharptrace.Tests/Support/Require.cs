using Sharptrace.Kernel;

namespace Sharptrace.Tests.Support;

/// <summary>Gates for tests that need the real kernel: they skip with the reason, never pass silently.</summary>
public static class Require
{
    /// <summary>Skips unless running as root with CAP_SYS_ADMIN (BPF, perf and tracefs all need it here).</summary>
    public static void Root()
    {
        if (!Syscall.IsRoot || !Capabilities.Has(Capability.SysAdmin))
            Assert.Skip("needs root (CAP_SYS_ADMIN/CAP_BPF/CAP_PERFMON) to use bpf() and perf_event_open(); run ./test.sh as root");
        Syscall.RaiseMemlockLimit();
    }
}
