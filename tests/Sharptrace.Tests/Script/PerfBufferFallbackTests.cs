using System.Text.RegularExpressions;
using Sharptrace.Tests.Support;

namespace Sharptrace.Tests.Script;

/// <summary>
/// Kernels before 5.8 have no BPF ring buffer: events then go through a perf event array (one ring
/// per CPU). This kernel has both, so the tests force the fallback with the test-only environment
/// variable SHARPTRACE_EVENT_BUFFER=perf (SHARPTRACE_EVENT_BUFFER_PAGES=N shrinks the buffer to N
/// pages, per CPU for perf) and check that the output is the same and that lost events are counted.
/// </summary>
public class PerfBufferFallbackTests
{
    private static readonly string Cases = Path.Combine(SharptraceBinary.RepoRoot, "tests", "conformance", "cases");

    private static ProcessResult Run(string mode, IEnumerable<string> arguments, int pages = 0)
    {
        var environment = new Dictionary<string, string> { ["SHARPTRACE_EVENT_BUFFER"] = mode };
        if (pages > 0) environment["SHARPTRACE_EVENT_BUFFER_PAGES"] = pages.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ProcessRunner.Run(SharptraceBinary.Path, arguments, TimeSpan.FromSeconds(30), environment: environment);
    }

    /// <summary>Conformance cases that send every kind of record (printf, join, time, print, clear, system, cat, exit) from every kind of probe.</summary>
    [Theory]
    [InlineData("printf_strings")]
    [InlineData("printf_many_args")]
    [InlineData("join_argv")]
    [InlineData("json_time_join")]
    [InlineData("map_print_during_run")]
    [InlineData("map_clear")]
    [InlineData("map_zero")]
    [InlineData("tuple_print")]
    [InlineData("builtin_buf_tracepoint")]
    [InlineData("tp_args_filename")]
    [InlineData("tp_exit_in_probe")]
    [InlineData("uprobe_libc_exit")]
    [InlineData("uretprobe_libc_getpid")]
    [InlineData("interval_with_end")]
    [InlineData("unsafe_system")]
    [InlineData("cat_file")]
    public void SameOutputAsTheRingBuffer(string name)
    {
        Require.Root();
        var path = Path.Combine(Cases, name + ".bt");
        var header = File.ReadAllLines(path).TakeWhile(l => l.StartsWith("//", StringComparison.Ordinal)).ToList();
        string? Header(string key) => header.Where(l => l.StartsWith($"// {key}:", StringComparison.Ordinal)).Select(l => l[(key.Length + 4)..].Trim()).FirstOrDefault();
        var arguments = ConformanceTests.SplitWords(Header("ARGS") ?? "").Append(path).Concat(ConformanceTests.SplitWords(Header("POSITIONAL") ?? "")).ToList();
        var ring = Run("ring", arguments);
        var perf = Run("perf", arguments);
        Assert.True(ring.ExitCode == 0, ring.ToString());
        Assert.True(perf.ExitCode == 0, perf.ToString());
        var normalize = Header("NORMALIZE") ?? "";
        Assert.Equal(ConformanceTests.Normalize(ring.StdOut, normalize), ConformanceTests.Normalize(perf.StdOut, normalize));
    }

    /// <summary>
    /// BEGIN outputs 200 lines and exit() at once into a one-page buffer, before user space reads:
    /// what does not fit is lost, and the lines shown plus "Lost N events" account for all 201
    /// records exactly, in both channels. exit() still ends the run when its own record is lost.
    /// </summary>
    [Theory]
    [InlineData("ring")]
    [InlineData("perf")]
    public void LostEventsAreCountedExactly(string mode)
    {
        Require.Root();
        const string line = "printf(\"line %d %d %d %d %d %d %d %d\\n\", $i, 1, 2, 3, 4, 5, 6, 7); $i++;";
        var program = $"BEGIN {{ $i = 0; unroll(100) {{ {line} {line} }} exit(); }}";
        var result = Run(mode, ["-e", program], pages: 1);
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.StdOut.Split('\n');
        Assert.Equal("Attaching 1 probe...", lines[0]);
        var shown = lines.Skip(1).TakeWhile(l => l.StartsWith("line ", StringComparison.Ordinal)).ToList();
        for (var i = 0; i < shown.Count; i++) Assert.Equal($"line {i} 1 2 3 4 5 6 7", shown[i]);
        var lost = Regex.Match(result.StdOut, @"\nLost (\d+) events\n");
        Assert.True(lost.Success, result.StdOut);
        Assert.InRange(shown.Count, 1, 199);
        Assert.Equal(201, shown.Count + int.Parse(lost.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>With the default buffer nothing is lost and no "Lost" line appears.</summary>
    [Fact]
    public void NothingLostWithTheDefaultBuffer()
    {
        Require.Root();
        const string line = "printf(\"line %d %d %d %d %d %d %d %d\\n\", $i, 1, 2, 3, 4, 5, 6, 7); $i++;";
        var result = Run("perf", ["-e", $"BEGIN {{ $i = 0; unroll(100) {{ {line} {line} }} exit(); }}"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(200, result.StdOut.Split('\n').Count(l => l.StartsWith("line ", StringComparison.Ordinal)));
        Assert.DoesNotContain("Lost", result.StdOut);
    }
}
