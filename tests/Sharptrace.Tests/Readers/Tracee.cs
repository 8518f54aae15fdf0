using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Sharptrace.Bpf.Maps;

namespace Sharptrace.Tests.Readers;

/// <summary>
/// A tiny C child process that makes marked system calls on command, so a BPF program filtered to
/// its tgid sees exactly the events a test asked for (xunit's other threads make syscalls too).
/// Each stdin line "start count" makes <c>getpgid(Marker | seq)</c> for seq in [start, start+count)
/// and answers "done"; the marked pids do not exist (above pid_max), so the calls only fail.
/// </summary>
public sealed class Tracee : IDisposable
{
    /// <summary>The high 16 bits of every marked getpgid argument; the low 16 bits carry the sequence number.</summary>
    public const int Marker = 0x5EED;

    private const string Source = """
        #define _GNU_SOURCE
        #include <sched.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <unistd.h>
        #include <sys/syscall.h>

        int main(int argc, char **argv) {
            int cpu = argc > 1 ? atoi(argv[1]) : -1;
            if (cpu >= 0) {
                cpu_set_t set;
                CPU_ZERO(&set);
                CPU_SET(cpu, &set);
                if (sched_setaffinity(0, sizeof set, &set) != 0) { perror("sched_setaffinity"); return 2; }
            }
            long start, count;
            while (scanf("%ld %ld", &start, &count) == 2) {
                for (long i = 0; i < count; i++) syscall(SYS_getpgid, (long)(MARKER << 16) | ((start + i) & 0xffff));
                printf("done\n");
                fflush(stdout);
            }
            return 0;
        }
        """;

    private static readonly Lazy<string> CompiledPath = new(Compile, LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly Process process;

    private Tracee(Process process) => this.process = process;

    /// <summary>The child's pid, which is also its tgid and its only thread's tid.</summary>
    public int Pid => process.Id;

    /// <summary>The <c>bpf_get_current_pid_tgid()</c> value the child's events carry.</summary>
    public long PidTgid => ((long)Pid << 32) | (uint)Pid;

    /// <summary>Starts the tracee, pinned to <paramref name="cpu"/> when it is not negative; skips the test without gcc.</summary>
    public static Tracee Start(int cpu = -1)
    {
        var info = new ProcessStartInfo(CompiledPath.Value)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(cpu.ToString());
        return new Tracee(Process.Start(info) ?? throw new InvalidOperationException("cannot start the tracee"));
    }

    /// <summary>The first online CPU, to pin a tracee to.</summary>
    public static int FirstOnlineCpu => PossibleCpus.Online[0];

    /// <summary>Makes the marked calls for sequence numbers [start, start+count) and waits until they are done.</summary>
    public void Run(int start, int count)
    {
        process.StandardInput.WriteLine($"{start} {count}");
        process.StandardInput.Flush();
        var answer = process.StandardOutput.ReadLineAsync();
        if (!answer.Wait(TimeSpan.FromSeconds(30)))
            Assert.Fail($"the tracee did not make {count} calls within 30 s");
        Assert.Equal("done", answer.Result);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(5000)) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { }
        process.Dispose();
    }

    // The binary is cached by source hash, so parallel test classes and later runs share one compile.
    private static string Compile()
    {
        if (!File.Exists("/usr/bin/gcc")) Assert.Skip("needs gcc (apt-get install gcc) to build the tracee child process");
        var source = Source.Replace("MARKER", $"0x{Marker:x}L");
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(source)))[..12].ToLowerInvariant();
        var dir = Path.Combine(Path.GetTempPath(), "sharptrace-tests");
        Directory.CreateDirectory(dir);
        var binary = Path.Combine(dir, $"tracee-{hash}");
        if (File.Exists(binary)) return binary;
        var unique = $"{binary}.{Environment.ProcessId}";
        File.WriteAllText(unique + ".c", source);
        var result = Support.ProcessRunner.Run("/usr/bin/gcc", ["-O2", "-o", unique, unique + ".c"], TimeSpan.FromSeconds(60));
        File.Delete(unique + ".c");
        Assert.True(result.ExitCode == 0, $"gcc failed on the tracee:\n{result}");
        File.Move(unique, binary, overwrite: true);
        return binary;
    }
}
