using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Sharptrace.Tests.Vm;

/// <summary>
/// Boots the qemu kernel VM (a Debian 6.1 cloud kernel under TCG, see tests/vm/README.md) through
/// tests/vm/vm.sh: the host kernel lacks kprobes and the function tracers, that kernel has them.
/// Every boot costs about 2.5 s, so a test batches its checks into one <see cref="Run(string, IEnumerable{ValueTuple{string, string}}?, TimeSpan?)"/>.
/// </summary>
public sealed partial class QemuVm
{
    /// <summary>The whole qemu run is killed after this; a hang must fail, never hold CI.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(300);

    // vm.sh kills qemu itself at the timeout (+5 s kill-after); this is the margin after which we
    // kill vm.sh too, in case the script itself hangs.
    static readonly TimeSpan ScriptGrace = TimeSpan.FromSeconds(30);

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Script => Path.Combine(RepoRoot, "tests", "vm", "vm.sh");

    /// <summary>
    /// The NativeAOT binary to test: $SHARPTRACE_BIN (test.sh sets it after ./build.sh), else
    /// &lt;repo&gt;/sharptrace; null when neither exists.
    /// </summary>
    public static string? SharptraceBinary
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("SHARPTRACE_BIN");
            if (!string.IsNullOrEmpty(fromEnv))
                return fromEnv; // named explicitly: a missing file there is an error, not a skip
            var built = Path.Combine(RepoRoot, "sharptrace");
            return File.Exists(built) ? built : null;
        }
    }

    /// <summary>
    /// Boots the VM, runs <paramref name="commands"/> (busybox sh; stdout and stderr merged, no stdin)
    /// and powers off. <paramref name="files"/> are copied into the initramfs at their guest paths,
    /// ELF binaries with the loader and shared libraries they need; /bin is on PATH.
    /// </summary>
    public VmResult Run(string commands, IEnumerable<(string hostPath, string guestPath)>? files = null, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var args = new List<string> { "run", "--timeout", ((int)Math.Ceiling(limit.TotalSeconds)).ToString() };
        foreach (var (hostPath, guestPath) in files ?? [])
        {
            if (!File.Exists(hostPath) && !Directory.Exists(hostPath))
                throw new FileNotFoundException($"file to ship into the VM not found: {hostPath}", hostPath);
            args.Add("--file");
            args.Add($"{hostPath}:{guestPath}");
        }
        args.Add("--");
        args.Add(commands);
        var run = RunScript(args, limit + ScriptGrace);
        return new VmResult(run.ExitCode, run.Stdout, run.Stderr, run.TimedOut || run.ExitCode == VmResult.TimedOutExitCode, run.Elapsed);
    }

    /// <summary>Runs a <see cref="VmBatch"/> of checks in one boot.</summary>
    public VmBatchResult Run(VmBatch batch, IEnumerable<(string hostPath, string guestPath)>? files = null, TimeSpan? timeout = null)
        => batch.Parse(Run(batch.ToScript(), files, timeout));

    /// <summary>
    /// vm.sh setup: installs qemu, busybox-static and cpio with apt-get when missing and caches the
    /// kernel. Returns null when the VM is ready, else why it is not (for Assert.Skip).
    /// </summary>
    public static string? Setup(TimeSpan timeout)
    {
        ScriptRun run;
        try
        {
            run = RunScript(["setup"], timeout);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or FileNotFoundException)
        {
            return $"cannot start {Script}: {e.Message}";
        }
        if (run.TimedOut)
            return $"vm.sh setup did not finish in {timeout.TotalSeconds:0} s";
        if (run.ExitCode == 0)
            return null;
        // vm.sh says why on its last "vm.sh:" line (not root, apt-get failed, no kernel package).
        var reason = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .LastOrDefault(l => l.StartsWith("vm.sh:", StringComparison.Ordinal)) ?? run.Stderr.Trim();
        return $"qemu kernel VM unavailable (vm.sh setup exit {run.ExitCode}): {reason}";
    }

    readonly record struct ScriptRun(int ExitCode, string Stdout, string Stderr, bool TimedOut, TimeSpan Elapsed);

    static ScriptRun RunScript(IReadOnlyList<string> args, TimeSpan timeout)
    {
        // setsid puts vm.sh, timeout and qemu in a process group of their own, which we can kill
        // whole: killing only bash would leave qemu running and holding a core.
        var start = new ProcessStartInfo("setsid")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("bash");
        start.ArgumentList.Add(Script);
        foreach (var a in args)
            start.ArgumentList.Add(a);

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("setsid did not start");
        process.StandardInput.Close(); // CI has no stdin; nor does the VM: test that path always
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var exited = process.WaitForExit(timeout);
        if (!exited)
            KillGroup(process);
        process.WaitForExit(); // also drains the redirected streams
        return new ScriptRun(exited ? process.ExitCode : VmResult.TimedOutExitCode,
            stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult(), !exited, clock.Elapsed);
    }

    static void KillGroup(Process process)
    {
        // setsid made the pid the group id (it is never a group leader when started by us, so it
        // does not fork). The tree kill is the fallback should that ever change.
        _ = Kill(-process.Id, SigKill);
        try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
    }

    const int SigKill = 9;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "sharptrace.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"no sharptrace.sln above {AppContext.BaseDirectory}");
    }
}

/// <summary>What one boot printed and returned.</summary>
/// <param name="ExitCode">the commands' exit code; 124 when the run timed out, 125 when the VM failed</param>
/// <param name="Output">the commands' stdout and stderr, exactly as printed in the guest</param>
/// <param name="Diagnostics">vm.sh's own messages (and the console's last lines when the VM failed)</param>
public sealed record VmResult(int ExitCode, string Output, string Diagnostics, bool TimedOut, TimeSpan Elapsed)
{
    public const int TimedOutExitCode = 124;
    public const int VmFailedExitCode = 125;

    public override string ToString()
        => $"exit {ExitCode}{(TimedOut ? " (timed out)" : "")} after {Elapsed.TotalSeconds:0.0} s\n" +
           $"--- output ---\n{Output}\n--- vm.sh ---\n{Diagnostics}";
}

/// <summary>
/// Runs vm.sh setup once for all VM tests and hands out the <see cref="QemuVm"/>, or skips the test
/// with the reason when the VM cannot be used here (not root and qemu missing, apt-get failing).
/// SHARPTRACE_VM_REQUIRED=1 turns those skips into failures, for a CI that must not lose the VM
/// tests silently.
/// </summary>
public sealed class QemuVmFixture
{
    // The first setup installs qemu (~100 MB of packages) and downloads the kernel (~27 MB).
    static readonly TimeSpan SetupTimeout = TimeSpan.FromMinutes(15);

    readonly Lazy<string?> unavailable = new(() => QemuVm.Setup(SetupTimeout));
    readonly QemuVm vm = new();

    /// <summary>The VM, once set up; skips (or fails, when required) the calling test otherwise.</summary>
    public QemuVm Vm
    {
        get
        {
            if (unavailable.Value is { } reason)
                SkipOrFail(reason);
            return vm;
        }
    }

    /// <summary>The NativeAOT sharptrace binary; skips the test when it was not built.</summary>
    public static string SharptraceBinary
    {
        get
        {
            var path = QemuVm.SharptraceBinary;
            if (path is null)
                SkipOrFail($"no NativeAOT binary: run ./build.sh (it writes {Path.Combine(QemuVm.RepoRoot, "sharptrace")}) or set SHARPTRACE_BIN");
            Assert.True(File.Exists(path), $"SHARPTRACE_BIN={path} does not exist");
            return path!;
        }
    }

    static void SkipOrFail(string reason)
    {
        if (Environment.GetEnvironmentVariable("SHARPTRACE_VM_REQUIRED") == "1")
            Assert.Fail(reason + " (SHARPTRACE_VM_REQUIRED=1)");
        Assert.Skip(reason);
    }
}

/// <summary>
/// VM tests run one at a time: each boot keeps a core busy under TCG, and the machine has two.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class QemuVmCollection : ICollectionFixture<QemuVmFixture>
{
    public const string Name = "qemu kernel VM";
}
