using Sharptrace.Kernel.Interop;

namespace Sharptrace.Kernel;

/// <summary>
/// The thread that drains a ring buffer competes for the CPU with the tasks that fill it: when it is
/// starved (a loaded machine), the buffer fills and records are lost. Raising that one thread's
/// priority (nice applies per thread on Linux) keeps it ahead; the traced command keeps its own.
/// </summary>
public static class ReaderPriority
{
    private const int PrioProcess = 0;

    /// <summary>Gives the calling thread nice <paramref name="niceness"/>; false when not permitted (not root).</summary>
    public static bool RaiseCurrentThread(int niceness = -10) => Libc.SetPriority(PrioProcess, Libc.GetTid(), niceness) == 0;
}
