namespace Sharptrace.Syscalls.Tracing;

/// <summary>
/// A way of seeing a process's system calls (eBPF in the kernel, or ptrace stops) that feeds the
/// same output: both print strace's lines through the same decoders and writer.
/// </summary>
public interface ISyscallBackend : IDisposable
{
    /// <summary>
    /// Runs <paramref name="path"/> with <paramref name="argv"/> under trace so that its execve is the
    /// first call traced (ptrace starts it through <paramref name="helperCommand"/>, this program
    /// re-executed, see <see cref="HeldChild"/>; eBPF needs no helper); writes the trace to
    /// <paramref name="output"/> and returns the command's exit status as strace does.
    /// </summary>
    int RunCommand(IReadOnlyList<string> helperCommand, string path, IReadOnlyList<string> argv, TextWriter output);

    /// <summary>Traces running processes (all their threads) until they end or <paramref name="stop"/> fires.</summary>
    int AttachTo(IReadOnlyList<int> pids, TextWriter output, CancellationToken stop);
}
