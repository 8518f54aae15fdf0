using System.Text.Json;
using Sharptrace.Tests.Vm;

namespace Sharptrace.Tests.Ftrace;

/// <summary>
/// What the host kernel lacks, in the qemu kernel VM (one boot): the function tracer with a filter,
/// function_graph with durations, kprobe/kretprobe events with fetch args, hist triggers, and the
/// tracing state restored after each.
/// </summary>
[Collection(QemuVmCollection.Name)]
public sealed class FtraceVmTests(QemuVmFixture fixture)
{
    [Fact]
    public void FunctionTracersKprobesAndHistTriggersAgainstKnownActivity()
    {
        var vm = fixture.Vm;
        var binary = QemuVmFixture.SharptraceBinary;
        var batch = new VmBatch();
        var function = batch.Add("sharptrace ftrace record -q -p function -l do_sys_openat2 -o /tmp/f.dat -- sh -c 'cat /proc/version /proc/version /proc/version >/dev/null' && sharptrace ftrace report -i /tmp/f.dat");
        var graph = batch.Add("sharptrace ftrace record -q -p function_graph -g do_sys_openat2 -o /tmp/g.dat -- cat /proc/version >/dev/null && sharptrace ftrace report -i /tmp/g.dat --json");
        var graphChrome = batch.Add("sharptrace ftrace report -i /tmp/g.dat --chrome");
        var afterGraph = batch.Add("cat /sys/kernel/tracing/current_tracer; cat /sys/kernel/tracing/set_graph_function; ls /sys/kernel/tracing/instances; echo end");
        var kprobes = batch.Add("sharptrace probe -a 'do_sys_openat2 dfd=%di:s32 filename=+0(%si):string' -a 'do_sys_openat2%return ret=$retval:s32' && sharptrace probe -l");
        var kprobeRecord = batch.Add("sharptrace ftrace record -q -e sharptrace:do_sys_openat2 -e sharptrace:do_sys_openat2__return -o /tmp/k.dat -- cat /proc/version /nonexistent && true; sharptrace ftrace report -i /tmp/k.dat --json");
        var hist = batch.Add("sharptrace ftrace hist sharptrace:do_sys_openat2 keys=filename -c 'for i in 1 2 3 4 5; do cat /proc/cmdline >/dev/null; done'");
        var remove = batch.Add("sharptrace probe -d 'sharptrace:*' && cat /sys/kernel/tracing/kprobe_events; echo end");
        var badFunction = batch.Add("sharptrace ftrace record -p function -l no_such_function_xyz -o /tmp/x.dat -- true");
        var result = vm.Run(batch, [(binary, "/bin/sharptrace")], TimeSpan.FromSeconds(280));

        // Function tracer, filtered to one function: the command's three opens (plus the loader's) show up, nothing else.
        var functionText = result[function];
        Assert.True(functionText.ExitCode == 0, functionText.ToString());
        var calls = functionText.Output.Split('\n').Where(l => l.Contains("function:")).ToList();
        Assert.True(calls.Count(l => l.Contains("cat-")) >= 3, functionText.ToString());
        Assert.All(calls, l => Assert.Contains("do_sys_openat2 <-- ", l));

        // function_graph: entries and exits of do_sys_openat2 with rettime >= calltime.
        Assert.True(result[graph].ExitCode == 0, result[graph].ToString());
        using (var document = JsonDocument.Parse(result[graph].Output[result[graph].Output.IndexOf('{')..]))
        {
            var events = document.RootElement.GetProperty("events").EnumerateArray().ToList();
            var exits = events.Where(e => e.GetProperty("event").GetString() == "funcgraph_exit").ToList();
            Assert.NotEmpty(exits);
            Assert.Equal(events.Count(e => e.GetProperty("event").GetString() == "funcgraph_entry"), exits.Count);
            Assert.All(exits, e => Assert.True(e.GetProperty("fields").GetProperty("rettime").GetUInt64() >= e.GetProperty("fields").GetProperty("calltime").GetUInt64()));
            Assert.Contains(exits, e => e.GetProperty("text").GetString()!.Contains("do_sys_openat2"));
        }
        using (var chrome = JsonDocument.Parse(result[graphChrome].Output))
        {
            var slices = chrome.RootElement.GetProperty("traceEvents").EnumerateArray().Where(e => e.GetProperty("ph").GetString() is "B" or "E").ToList();
            Assert.Contains(slices, e => e.GetProperty("name").GetString() == "do_sys_openat2");
            Assert.Equal(slices.Count(e => e.GetProperty("ph").GetString() == "B"), slices.Count(e => e.GetProperty("ph").GetString() == "E"));
        }
        Assert.Equal("nop\n#### all functions enabled ####\nend\n", result[afterGraph].Output);

        // kprobe + kretprobe with fetch args: the file names the command opened, and -ENOENT for the missing one.
        Assert.True(result[kprobes].ExitCode == 0, result[kprobes].ToString());
        Assert.Contains("p:sharptrace/do_sys_openat2 do_sys_openat2", result[kprobes].Output);
        var kprobeOutput = result[kprobeRecord].Output;
        using (var document = JsonDocument.Parse(kprobeOutput[kprobeOutput.IndexOf('{')..]))
        {
            var events = document.RootElement.GetProperty("events").EnumerateArray().ToList();
            var opens = events.Where(e => e.GetProperty("event").GetString() == "do_sys_openat2").Select(e => e.GetProperty("fields").GetProperty("filename").GetString()).ToList();
            Assert.Contains("/proc/version", opens);
            Assert.Contains("/nonexistent", opens);
            var returns = events.Where(e => e.GetProperty("event").GetString() == "do_sys_openat2__return").Select(e => e.GetProperty("fields").GetProperty("ret").GetInt64()).ToList();
            Assert.Contains(-2L, returns);
            Assert.Contains(returns, r => r >= 3);
        }

        // hist trigger keyed by the kprobe's string: five opens of /proc/cmdline.
        Assert.True(result[hist].ExitCode == 0, result[hist].ToString());
        Assert.Matches(@"\{ filename: /proc/cmdline\s*\} hitcount:\s+5\b", result[hist].Output);

        Assert.True(result[remove].ExitCode == 0, result[remove].ToString());
        Assert.Equal("end\n", result[remove].Output[result[remove].Output.IndexOf("end", StringComparison.Ordinal)..]);
        Assert.DoesNotContain("sharptrace/", result[remove].Output.Split("Removed").Last().Replace("Removed event: sharptrace:", ""));

        Assert.Equal(1, result[badFunction].ExitCode);
        Assert.Contains("no_such_function_xyz", result[badFunction].Output);
        Assert.DoesNotContain("   at ", result[badFunction].Output);
    }
}
