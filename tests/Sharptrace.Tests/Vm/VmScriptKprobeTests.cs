using System.Text.RegularExpressions;

namespace Sharptrace.Tests.Vm;

/// <summary>
/// The language's kprobe and kretprobe probes, which the host kernel lacks: bpftrace one-liners and
/// tools (vfsstat-, tcpconnect-style) run by ./sharptrace inside the qemu VM against activity we
/// start ourselves with -c, so the counts are known. One boot runs every script.
/// </summary>
[Collection(QemuVmCollection.Name)]
public sealed partial class VmScriptKprobeTests(QemuVmFixture fixture)
{
    sealed record Steps(VmBatchResult Result, VmStep OpensByComm, VmStep ArgsAndRetval, VmStep VfsStat, VmStep TcpConnect, VmStep ExitStopsCounting);

    // One boot for the class.
    static readonly ClassBoot<Steps> Boot = new();

    Steps Run() => Boot.Run(fixture, vm =>
    {
        var binary = QemuVmFixture.SharptraceBinary;
        var batch = new VmBatch();
        // busybox cat opens each file once: one open per file named.
        var opens = batch.Add("""sharptrace -c "/bin/cat /proc/version /proc/uptime" -e 'kprobe:do_sys_openat2 /comm == "cat"/ { @[comm] = count(); }'""");
        var args = batch.Add("""
            sharptrace -c "/bin/cat /nonexistent /proc/version" -e '
            kprobe:do_sys_openat2 /comm == "cat"/ { printf("open %d %s\n", arg0, str(arg1)); }
            kretprobe:do_sys_openat2 /comm == "cat"/ { printf("ret %d\n", retval); @rets[retval] = count(); }'
            """);
        // vfsstat.bt's probes (wildcards included) without its 1 s interval: dd's reads and writes are counted.
        var vfs = batch.Add("""
            sharptrace -c "/bin/dd if=/dev/zero of=/dev/null bs=512 count=300" -e '
            BEGIN { printf("Tracing key VFS calls... Hit Ctrl-C to end.\n"); }
            kprobe:vfs_read*, kprobe:vfs_write*, kprobe:vfs_fsync, kprobe:vfs_open, kprobe:vfs_create /comm == "dd"/ { @[func] = count(); }'
            """);
        // tcpconnect.bt's struct sock walk (BTF) and ntop() for two refused connects over loopback.
        var tcp = batch.Add("""
            ip link set lo up
            printf 'nc 127.0.0.1 9 </dev/null\nnc 127.0.0.1 8080 </dev/null\ntrue\n' > /tmp/connect.sh
            sharptrace -c "/bin/sh /tmp/connect.sh" -e '
            kprobe:tcp_connect
            {
              $sk = ((struct sock *) arg0);
              $inet_family = $sk->__sk_common.skc_family;
              if ($inet_family == AF_INET) {
                $dport = $sk->__sk_common.skc_dport;
                $dport = ($dport >> 8) | (($dport << 8) & 0x00FF00);
                printf("%-16s %s %d lport=%d\n", comm, ntop($sk->__sk_common.skc_daddr), $dport, $sk->__sk_common.skc_num);
              }
            }'
            """);
        // exit() freezes the maps in the kernel at once, even though dd goes on reading.
        var exit = batch.Add("""sharptrace -c "/bin/dd if=/dev/zero of=/dev/null bs=1 count=100000" -e 'kprobe:vfs_read /comm == "dd"/ { @reads++; if (@reads == 50) { exit(); } }'""");
        var result = vm.Run(batch, [(binary, "/bin/sharptrace")], TimeSpan.FromSeconds(240));
        return new Steps(result, opens, args, vfs, tcp, exit);
    });

    VmStepResult Step(Func<Steps, VmStep> pick)
    {
        var steps = Run();
        var step = steps.Result[pick(steps)];
        Assert.True(step.ExitCode == 0, step.ToString());
        return step;
    }

    [Fact]
    public void KprobeCountsOpensByComm()
    {
        var step = Step(s => s.OpensByComm);
        Assert.StartsWith("Attaching 1 probe...\n", step.Output);
        Assert.EndsWith("\n\n@[cat]: 2\n", step.Output);
    }

    [Fact]
    public void KprobeArgumentsAndKretprobeReturnValue()
    {
        var step = Step(s => s.ArgsAndRetval);
        var lines = step.Output.Split('\n');
        // AT_FDCWD is -100; the first file is missing (-ENOENT), the second gets fd 3.
        Assert.Equal(["open -100 /nonexistent", "ret -2"], lines.Where(l => l.StartsWith("open ") || l.StartsWith("ret ")).Take(2));
        Assert.Equal(["open -100 /proc/version", "ret 3"], lines.Where(l => l.StartsWith("open ") || l.StartsWith("ret ")).Skip(2));
        // retval is a u64 in bpftrace, so -2 is printed unsigned as a map key.
        Assert.EndsWith("\n\n@rets[3]: 1\n@rets[18446744073709551614]: 1\n", step.Output);
    }

    [Fact]
    public void VfsStatCountsDdReadsAndWrites()
    {
        var step = Step(s => s.VfsStat);
        Assert.StartsWith("Attaching ", step.Output);
        Assert.Contains("Tracing key VFS calls... Hit Ctrl-C to end.\n", step.Output);
        var counts = MapLines().Matches(step.Output).ToDictionary(m => m.Groups[1].Value, m => long.Parse(m.Groups[2].Value));
        Assert.Equal(300, counts.GetValueOrDefault("vfs_read"));
        Assert.InRange(counts.GetValueOrDefault("vfs_write"), 300, 303); // + dd's summary on stderr
        Assert.InRange(counts.GetValueOrDefault("vfs_open"), 2, 10); // its input and output at least
    }

    [Fact]
    public void TcpConnectWalksStructSockWithBtf()
    {
        var step = Step(s => s.TcpConnect);
        var events = Regex.Matches(step.Output, @"^nc +127\.0\.0\.1 (\d+) lport=(\d+)$", RegexOptions.Multiline);
        Assert.True(events.Count == 2, step.ToString());
        Assert.Equal(["9", "8080"], events.Select(m => m.Groups[1].Value));
        Assert.All(events, m => Assert.InRange(int.Parse(m.Groups[2].Value), 1024, 65535)); // an ephemeral source port
    }

    [Fact]
    public void ExitStopsCountingInTheKernelAtOnce()
    {
        var step = Step(s => s.ExitStopsCounting);
        Assert.EndsWith("\n\n@reads: 50\n", step.Output);
    }

    [GeneratedRegex(@"^@\[(\w+)\]: (\d+)$", RegexOptions.Multiline)]
    private static partial Regex MapLines();
}
