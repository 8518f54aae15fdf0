using System.Diagnostics;

namespace Sharptrace.Tests.Support;

/// <summary>Waits for a uprobe's breakpoint in another process: bpftrace 0.17 runs BEGIN before it attaches the other probes.</summary>
public static class Breakpoint
{
    /// <summary>Returns once the int3 (0xcc) is at <paramref name="fileOffset"/> of <paramref name="binary"/> in process <paramref name="pid"/>; fails after 20 s.</summary>
    public static void WaitFor(int pid, string binary, ulong fileOffset, string name)
    {
        var address = Sharptrace.Script.Probes.UsdtSemaphore.AddressIn(pid, binary, fileOffset) ?? throw new InvalidOperationException($"{pid} does not map {binary}");
        var deadline = Stopwatch.StartNew();
        Span<byte> code = stackalloc byte[1];
        while (deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            using (var memory = new FileStream($"/proc/{pid}/mem", FileMode.Open, FileAccess.Read))
            {
                memory.Seek((long)address, SeekOrigin.Begin);
                memory.ReadExactly(code);
            }
            if (code[0] == 0xcc) return;
            Thread.Sleep(20);
        }
        Assert.Fail($"no breakpoint at {name} in {pid} after 20 s");
    }
}
