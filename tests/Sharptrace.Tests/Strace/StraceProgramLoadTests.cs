using Sharptrace.Syscalls;
using Sharptrace.Syscalls.Decoding;
using Sharptrace.Syscalls.Tracing;
using Sharptrace.Tests.Support;

namespace Sharptrace.Tests.Strace;

/// <summary>
/// The eBPF syscall programs load for every shape of the options that change them (-f's deferral, -v's
/// environment copy, -c). The command falls back to ptrace when a load fails, so a rejected program would
/// pass every comparison unseen: here the tracer is made directly, and the verifier's refusal fails the test.
/// </summary>
public class StraceProgramLoadTests
{
    [Theory]
    [InlineData(false, false, false)]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    [InlineData(true, true, false)]
    [InlineData(false, false, true)]
    [InlineData(true, false, true)]
    public void ProgramsLoad(bool follow, bool verbose, bool countOnly)
    {
        Require.Root();
        var options = new StraceOptions { Follow = follow, CountOnly = countOnly, Decode = new DecodeOptions(Verbose: verbose) };
        using var tracer = new SyscallTracer(options);
    }
}
