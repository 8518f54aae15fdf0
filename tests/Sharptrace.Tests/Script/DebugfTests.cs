using System.Globalization;
using Sharptrace.Kernel;
using Sharptrace.Tests.Support;

namespace Sharptrace.Tests.Script;

/// <summary>
/// debugf() writes through bpf_trace_printk to the tracefs trace buffer, not to the script's
/// output: the lines are read back from the buffer (found by a marker unique to the run, the
/// buffer is shared) and compared with the ones bpftrace 0.17 writes for the same script.
/// </summary>
public class DebugfTests
{
    private static string? Bpftrace => File.Exists("/usr/bin/bpftrace") ? "/usr/bin/bpftrace" : null;

    [Fact]
    public void DebugfLinesReachTheTraceBufferAsBpftraces()
    {
        Require.Root();
        // Loading a program that calls bpf_trace_printk makes the kernel enable the bpf_trace_printk
        // event at the top level, where it stays: put it back as found, so the machine's top level looks idle again.
        var enable = TraceFs.PathOf("events/bpf_trace/bpf_trace_printk/enable");
        var wasEnabled = File.Exists(enable) && File.ReadAllText(enable).Trim() == "1";
        try { Run(); }
        finally { if (!wasEnabled && File.Exists(enable)) File.WriteAllText(enable, "0"); }
    }

    private static void Run()
    {
        var marker = "dbgf" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "x" + Environment.TickCount64.ToString(CultureInfo.InvariantCulture);
        var script = $"BEGIN {{ debugf(\"{marker} %d %s %x\\n\", 42, \"abc\", 255); $s = \"xyz\"; debugf(\"{marker} %s %d\\n\", $s, -7); debugf(\"{marker} end\\n\"); exit(); }}";
        var ours = ProcessRunner.Run(SharptraceBinary.Path, ["-e", script], TimeSpan.FromSeconds(30));
        Assert.True(ours.ExitCode == 0, ours.ToString());
        Assert.Equal("Attaching 1 probe...\n\n\n", ours.StdOut);
        var ourLines = TraceLines(marker);
        Assert.Equal([$"{marker} 42 abc ff", $"{marker} xyz -7", $"{marker} end"], ourLines);
        if (Bpftrace is not { } bpftrace) return;
        var theirMarker = marker + "b";
        var theirs = ProcessRunner.Run(bpftrace, ["-e", script.Replace(marker, theirMarker)], TimeSpan.FromSeconds(30));
        Assert.True(theirs.ExitCode == 0, theirs.ToString());
        Assert.Equal(TraceLines(theirMarker).Select(l => l.Replace(theirMarker, marker)), ourLines);
    }

    /// <summary>The text after "bpf_trace_printk: " of the buffer's lines carrying the marker (its first word).</summary>
    private static List<string> TraceLines(string marker) =>
        File.ReadLines(TraceFs.PathOf("trace"))
            .Select(l => l.IndexOf("bpf_trace_printk: ", StringComparison.Ordinal) is var at and >= 0 ? l[(at + 18)..] : "")
            .Where(text => text.StartsWith(marker + " ", StringComparison.Ordinal))
            .ToList();
}
