using System.Text.Json;
using Sharptrace.Tests.Vm;

namespace Sharptrace.Tests.Ftrace;

/// <summary>
/// kprobe/kretprobe events (which the host lacks) named as tracepoint:sharptrace:X in a script, in the
/// qemu VM: the file names and return values of known opens, equal to the kernel's own record.
/// </summary>
[Collection(QemuVmCollection.Name)]
public sealed class ProbeFromLanguageVmTests(QemuVmFixture fixture)
{
    const int Repeats = 10;

    [Fact]
    public void KprobeEventArgsInAScriptMatchKnownOpensAndTheKernelRecord()
    {
        var batch = new VmBatch();
        var add = batch.Add("sharptrace probe -a 'do_sys_openat2 dfd=%di:s32 filename=+0(%si):string name=+0($arg2):ustring' -a 'do_sys_openat2%return ret=$retval:s32' && sharptrace -lv 'tracepoint:sharptrace:*'");
        // The script's output goes to a pipe, never to a file it shares with cat: busybox cat copies
        // with sendfile(), which updates the shared file offset without the lock write() takes, so
        // lines we write while it copies get overwritten (1 run in 25 here lost some or all of them).
        const string Script = """
            sharptrace -c "/bin/cat /nonexistent /proc/version" -e '
            tracepoint:sharptrace:do_sys_openat2 /pid == cpid/ { printf("open %d %s %s\n", args.dfd, args.filename, args->name); }
            tracepoint:sharptrace:do_sys_openat2__return /pid == cpid/ { printf("ret %d\n", args.ret); }' | grep -E '^(open|ret) '
            """;
        var script = batch.Add(Script);
        // The same run again and again (a command that ends quickly, the end of the run racing its
        // last events): every run prints the same lines, and nothing else (errors would show here).
        var repeated = batch.Add($"i=0; while [ $i -lt {Repeats} ]; do i=$((i+1)); ({Script}) 2>&1 | grep -v \"^cat: can't open\"; echo --; done");
        var record = batch.Add("sharptrace ftrace record -q -e sharptrace:do_sys_openat2 -e sharptrace:do_sys_openat2__return -o /tmp/k.dat -- /bin/cat /nonexistent /proc/version >/dev/null; sharptrace ftrace report -i /tmp/k.dat --json");
        var remove = batch.Add("sharptrace probe -d 'sharptrace:*' && cat /sys/kernel/tracing/kprobe_events; echo end");
        var result = fixture.Vm.Run(batch, [(QemuVmFixture.SharptraceBinary, "/bin/sharptrace")], TimeSpan.FromSeconds(200));

        Assert.True(result[add].ExitCode == 0, result[add].ToString());
        Assert.Contains("tracepoint:sharptrace:do_sys_openat2\n    s32 dfd\n    string filename\n    ustring name\ntracepoint:sharptrace:do_sys_openat2__return\n    s32 ret\n", result[add].Output);

        // busybox cat: the loader's opens first (none for a static busybox), then one open per file named.
        Assert.True(result[script].ExitCode == 0, result[script].ToString());
        // (cat's complaint about /nonexistent goes to the same output)
        var lines = result[script].Output.Split('\n').Where(l => l.StartsWith("open ") || l.StartsWith("ret ")).ToList();
        var opens = lines.Where(l => l.StartsWith("open ")).ToList();
        Assert.Contains("open -100 /nonexistent /nonexistent", opens);
        Assert.Contains("open -100 /proc/version /proc/version", opens);
        var missing = lines.IndexOf("open -100 /nonexistent /nonexistent");
        Assert.Equal("ret -2", lines[missing + 1]);
        var found = lines.IndexOf("open -100 /proc/version /proc/version");
        Assert.Matches(@"^ret [3-9]\d*$", lines[found + 1]);

        Assert.True(result[repeated].ExitCode == 0, result[repeated].ToString());
        var runs = result[repeated].Output.Split("--\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Repeats, runs.Length);
        Assert.All(runs, run => Assert.Equal(string.Join('\n', lines) + "\n", run));

        // The kernel's own record of the same command: the same sequence of values.
        var output = result[record].Output;
        using var document = JsonDocument.Parse(output[output.IndexOf('{')..]);
        var kernel = document.RootElement.GetProperty("events").EnumerateArray()
            .Where(e => e.GetProperty("comm").GetString() == "cat")
            .Select(e =>
            {
                var f = e.GetProperty("fields");
                return e.GetProperty("event").GetString() == "do_sys_openat2"
                    ? $"open {f.GetProperty("dfd").GetInt64()} {f.GetProperty("filename").GetString()} {f.GetProperty("name").GetString()}"
                    : $"ret {f.GetProperty("ret").GetInt64()}";
            }).ToList();
        Assert.Equal(lines, kernel);

        Assert.True(result[remove].ExitCode == 0, result[remove].ToString());
        Assert.Equal("end\n", result[remove].Output[result[remove].Output.IndexOf("end", StringComparison.Ordinal)..]);
    }
}
