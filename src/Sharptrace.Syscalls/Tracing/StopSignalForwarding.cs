using System.Runtime.InteropServices;
using Sharptrace.Kernel;

namespace Sharptrace.Syscalls.Tracing;

/// <summary>
/// SIGINT, SIGTERM (and SIGHUP, SIGQUIT) to sharptrace while it runs a command: as strace does for
/// its own command (its cleanup), the command gets the signal (after a SIGCONT, should it be
/// stopped) and sharptrace goes on tracing until the command ends, so that every call already
/// recorded is printed, then the "+++ killed by SIGx +++" line, and the exit status is the
/// command's (128 + N). A second signal (a command that ignores the first) kills it.
/// </summary>
internal sealed class StopSignalForwarding : IDisposable
{
    private const int SigKill = 9, SigCont = 18;
    private readonly List<PosixSignalRegistration> registrations = [];
    private readonly int pid;
    private int received;

    private StopSignalForwarding(int pid)
    {
        this.pid = pid;
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT })
            registrations.Add(PosixSignalRegistration.Create(signal, Forward));
    }

    /// <summary>Forwards the stop signals to <paramref name="pid"/> until disposed.</summary>
    public static StopSignalForwarding To(int pid) => new(pid);

    private void Forward(PosixSignalContext context)
    {
        context.Cancel = true;
        var number = context.Signal switch { PosixSignal.SIGINT => 2, PosixSignal.SIGTERM => 15, PosixSignal.SIGHUP => 1, PosixSignal.SIGQUIT => 3, _ => 15 };
        Ptrace.Kill(pid, SigCont);
        Ptrace.Kill(pid, Interlocked.Increment(ref received) == 1 ? number : SigKill);
    }

    public void Dispose()
    {
        foreach (var registration in registrations) registration.Dispose();
    }
}
