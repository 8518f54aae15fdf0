namespace Sharptrace.Tests.Vm;

/// <summary>
/// The qemu kernel VM has what the host kernel lacks, and our binary runs there: the ground on
/// which the kprobe and function-tracer tests stand. One boot for all checks.
/// </summary>
[Collection(QemuVmCollection.Name)]
public sealed class VmKernelTests(QemuVmFixture fixture)
{
    [Fact]
    public void GuestRunsSharptraceAndHasKprobesAndFunctionTracers()
    {
        var vm = fixture.Vm;
        var binary = QemuVmFixture.SharptraceBinary;

        var batch = new VmBatch();
        var version = batch.Add("sharptrace --version");
        var kprobePmu = batch.Add("cat /sys/bus/event_source/devices/kprobe/type");
        var kprobeEvents = batch.Add("test -f /sys/kernel/tracing/kprobe_events && echo present");
        var tracers = batch.Add("cat /sys/kernel/tracing/available_tracers");
        var result = vm.Run(batch, [(binary, "/bin/sharptrace")], TimeSpan.FromSeconds(180));

        Assert.True(result.Vm.ExitCode == 0, result.Vm.ToString());
        Assert.True(result[version].ExitCode == 0, result[version].ToString());
        Assert.Matches(@"^\d+\.\d+\.\d+", result[version].Output);

        Assert.True(result[kprobePmu].ExitCode == 0, result[kprobePmu].ToString());
        Assert.Matches(@"^\d+\n$", result[kprobePmu].Output); // the dynamic PMU type perf_event_open takes

        Assert.Equal("present\n", result[kprobeEvents].Output);

        var available = result[tracers].Output.Split(' ', '\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("function", available);
        Assert.Contains("function_graph", available);
    }

    [Fact]
    public void OutputAndExitCodeComeBackExactly()
    {
        // The harness itself: exit codes pass through, a last line without "\n" stays so, and a
        // file shipped at a guest path of our choosing is there.
        var script = Path.Combine(Path.GetTempPath(), $"sharptrace-vm-test-{Environment.ProcessId}.sh");
        File.WriteAllText(script, "echo shipped\n");
        try
        {
            var result = fixture.Vm.Run("sh /opt/check/run.sh; printf 'no newline'; exit 7",
                [(script, "/opt/check/run.sh")], TimeSpan.FromSeconds(120));
            Assert.False(result.TimedOut, result.ToString());
            Assert.Equal(7, result.ExitCode);
            Assert.Equal("shipped\nno newline", result.Output);
        }
        finally
        {
            File.Delete(script);
        }
    }
}
