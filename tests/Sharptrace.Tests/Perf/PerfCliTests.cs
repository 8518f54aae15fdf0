using System.Globalization;
using System.Text.RegularExpressions;
using Sharptrace.Tests.Support;

namespace Sharptrace.Tests.Perf;

/// <summary>The NativeAOT binary against known workloads, with Debian perf run in the same test as the reference.</summary>
[Collection("perf sampling")]
public partial class PerfCliTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("sharptrace-perf-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static long Count(string statOutput, string eventName)
    {
        var match = Regex.Match(statOutput, @"^\s*([0-9.]+)\s+(?:msec\s+)?" + Regex.Escape(eventName) + @"\b", RegexOptions.Multiline);
        Assert.True(match.Success, $"no '{eventName}' line in:\n{statOutput}");
        return (long)double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Stat_counts_page_faults_context_switches_and_exact_tracepoint_hits_like_perf()
    {
        Require.Root();
        var program = NativeProgram.Build("faults", "-O0");
        string[] args = ["-e", "page-faults,context-switches,syscalls:sys_enter_getppid,cycles", "--", program, "1000", "20", "777"];
        var ours = SharptraceBinary.Run(["perf", "stat", .. args]);
        Assert.True(ours.ExitCode == 0, ours.ToString());
        var perf = ProcessRunner.Run(Oracles.Require("perf"), ["stat", .. args]);
        Assert.Contains($"Performance counter stats for '{program} 1000 20 777':", ours.StdErr);
        Assert.True(Count(ours.StdErr, "page-faults") >= 1000, ours.StdErr);
        Assert.True(Count(ours.StdErr, "context-switches") >= 20, ours.StdErr);
        Assert.Equal(777, Count(ours.StdErr, "syscalls:sys_enter_getppid"));
        Assert.Equal(Count(perf.StdErr, "syscalls:sys_enter_getppid"), Count(ours.StdErr, "syscalls:sys_enter_getppid"));
        Assert.InRange(Count(ours.StdErr, "page-faults"), Count(perf.StdErr, "page-faults") - 20, Count(perf.StdErr, "page-faults") + 20);
        Assert.Matches(@"<not supported>\s+cycles", ours.StdErr);
        Assert.Contains("seconds time elapsed", ours.StdErr);
    }

    [Fact]
    public void Stat_csv_and_repeat_follow_perfs_layout()
    {
        Require.Root();
        var ours = SharptraceBinary.Run("perf", "stat", "-x", ",", "-r", "3", "-e", "page-faults,task-clock", "--", "/bin/true");
        Assert.True(ours.ExitCode == 0, ours.ToString());
        var lines = ours.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^\d+,,page-faults,[0-9.]+%,\d+,100\.00,[0-9.]+,(K/sec|/sec|M/sec)$", lines[0]);
        Assert.Matches(@"^[0-9.]+,msec,task-clock,[0-9.]+%,\d+,100\.00,[0-9.]+,CPUs utilized$", lines[1]);
    }

    [Fact]
    public void Stat_per_cpu_prints_a_line_per_cpu_and_event_like_perf()
    {
        Require.Root();
        string[] args = ["stat", "-A", "-a", "-e", "task-clock,context-switches", "--", "sleep", "0.3"];
        var ours = SharptraceBinary.Run(["perf", .. args]);
        Assert.True(ours.ExitCode == 0, ours.ToString());
        var perf = ProcessRunner.Run(Oracles.Require("perf"), args);
        static string[] Labels(string text, string ev) =>
            [.. Regex.Matches(text, @"^(CPU\d+)\s+[0-9.,]+\s+(?:msec\s+)?" + ev + @"\b", RegexOptions.Multiline).Select(m => m.Groups[1].Value)];
        foreach (var ev in new[] { "task-clock", "context-switches" })
        {
            Assert.Equal(Labels(perf.StdErr, ev), Labels(ours.StdErr, ev));
            Assert.Equal(Environment.ProcessorCount, Labels(ours.StdErr, ev).Length);
        }
        // Each CPU ran (idle included) for about the whole 0.3 s: its task-clock is close to the wall time.
        foreach (Match m in Regex.Matches(ours.StdErr, @"^CPU\d+\s+([0-9.]+) msec task-clock", RegexOptions.Multiline))
            Assert.InRange(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), 200, 2000);

        var csv = SharptraceBinary.Run("perf", "stat", "-A", "-a", "-x", ",", "-e", "context-switches", "--", "sleep", "0.1");
        Assert.Matches(@"^CPU0,\d+,,context-switches,", csv.StdErr);
        var notSystemWide = SharptraceBinary.Run("perf", "stat", "-A", "--", "true");
        Assert.NotEqual(0, notSystemWide.ExitCode);
        Assert.Contains("needs -a", notSystemWide.StdErr);
    }

    [Fact]
    public void Record_and_report_attribute_hot_a_and_hot_b_with_their_chain_and_perf_agrees()
    {
        Require.Root();
        var program = NativeProgram.Build("hot", "-O0 -fno-omit-frame-pointer");
        var data = Path.Combine(dir, "perf.data");
        var record = SharptraceBinary.Run("perf", "record", "-g", "-F", "999", "-o", data, "--", program, "2");
        Assert.True(record.ExitCode == 0, record.ToString());
        Assert.Contains("[ perf record: Captured and wrote", record.StdErr);

        var report = SharptraceBinary.Run("perf", "report", "-i", data, "--stdio", "--sort", "sym", "-g");
        Assert.True(report.ExitCode == 0, report.ToString());
        var a = Share(report.StdOut, "hot_a");
        var b = Share(report.StdOut, "hot_b");
        Assert.InRange(a, 75 - 8, 75 + 8);
        Assert.InRange(b, 25 - 8, 25 + 8);
        // -g alone is perf's default, caller order: main first, down to the sampled function.
        Assert.Matches(@"---(\S+\s+)*main\s+run\s+work_loop\s+hot_a\s", report.StdOut);
        var callee = SharptraceBinary.Run("perf", "report", "-i", data, "--stdio", "--sort", "sym", "-g", "callee");
        Assert.Matches(@"---work_loop\s+run\s+main", callee.StdOut);

        // By command, the tree branches at work_loop into hot_a and hot_b, as perf draws it from our file.
        var byComm = SharptraceBinary.Run("perf", "report", "-i", data, "--stdio", "--sort", "comm", "-g", "caller");
        var perfTree = ProcessRunner.Run(Oracles.Require("perf"), ["report", "-i", data, "--stdio", "--no-children", "--sort", "comm", "-g", "caller"]);
        Assert.Matches(@"work_loop\n\s+\|\s*\n\s+\|--[0-9.]+%--hot_a\n", byComm.StdOut);
        foreach (var leaf in new[] { "hot_a", "hot_b" })
        {
            var ours = Regex.Match(byComm.StdOut, @"--([0-9.]+)%--" + leaf + @"\n");
            var theirs = Regex.Match(perfTree.StdOut, @"--([0-9.]+)%--" + leaf + @"\n");
            Assert.True(ours.Success && theirs.Success, $"ours:\n{byComm.StdOut}\nperf:\n{perfTree.StdOut}");
            Assert.InRange(double.Parse(ours.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(theirs.Groups[1].Value, CultureInfo.InvariantCulture) - 2, double.Parse(theirs.Groups[1].Value, CultureInfo.InvariantCulture) + 2);
        }

        var folded = SharptraceBinary.Run("perf", "report", "-i", data, "--folded");
        Assert.Contains(";main;run;work_loop;hot_a ", folded.StdOut);

        var perf = ProcessRunner.Run(Oracles.Require("perf"), ["report", "-i", data, "--stdio", "--no-children", "--sort", "sym"]);
        Assert.True(perf.ExitCode == 0, perf.ToString());
        Assert.InRange(Share(perf.StdOut, "hot_a"), a - 2, a + 2);
        Assert.InRange(Share(perf.StdOut, "hot_b"), b - 2, b + 2);
    }

    [Fact]
    public void Record_with_several_events_writes_one_attr_each_and_perf_reads_them_all()
    {
        Require.Root();
        var program = NativeProgram.Build("hot", "-O0 -fno-omit-frame-pointer");
        var data = Path.Combine(dir, "multi.data");
        var record = SharptraceBinary.Run("perf", "record", "-g", "-F", "999", "-e", "cpu-clock", "-e", "page-faults", "-o", data, "--", program, "1");
        Assert.True(record.ExitCode == 0, record.ToString());

        var ours = SharptraceBinary.Run("perf", "report", "-i", data, "--stdio", "--sort", "sym");
        Assert.True(ours.ExitCode == 0, ours.ToString());
        var perf = ProcessRunner.Run(Oracles.Require("perf"), ["report", "-i", data, "--stdio", "--no-children", "--sort", "sym", "-g", "none"]);
        Assert.True(perf.ExitCode == 0, perf.ToString());
        // The same events, in the same order, with the same sample counts in both reports. Above 1000
        // samples perf abbreviates ("1K"): on a quiet machine 1 s at 999 Hz gives just over 1000.
        static string[] Sections(string text) =>
            [.. Regex.Matches(text, @"^# Samples: (\d+[KMG]?)\s+of event '([^']+)'", RegexOptions.Multiline).Select(m => $"{m.Groups[2].Value}={m.Groups[1].Value}")];
        Assert.Equal(["cpu-clock", "page-faults"], Sections(ours.StdOut).Select(x => x.Split('=')[0]));
        Assert.Equal(Sections(perf.StdOut), Sections(ours.StdOut));
        var cpuClock = ours.StdOut[..ours.StdOut.IndexOf("of event 'page-faults'", StringComparison.Ordinal)];
        Assert.InRange(Share(cpuClock, "hot_a"), 75 - 15, 75 + 8);
        var header = ProcessRunner.Run(Oracles.Require("perf"), ["report", "-i", data, "--header-only"]);
        Assert.Matches(@"# event : name = cpu-clock, .*IDENTIFIER", header.StdOut);
        Assert.Matches(@"# event : name = page-faults, .*IDENTIFIER", header.StdOut);
    }

    private static double Share(string report, string symbol)
    {
        var match = Regex.Match(report, @"^\s*([0-9.]+)%.*\[\.\] " + symbol + @"\s*$", RegexOptions.Multiline);
        Assert.True(match.Success, $"no {symbol} line in:\n{report}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Managed_methods_are_named_through_the_dotnet_perf_map()
    {
        Require.Root();
        var app = ManagedSpinner.Build();
        var data = Path.Combine(dir, "managed.data");
        var record = ProcessRunner.Shell($"DOTNET_PerfMapEnabled=1 {SharptraceBinary.Path} perf record -g -o {data} -- dotnet {app} 2", TimeSpan.FromSeconds(90));
        Assert.True(record.ExitCode == 0, record.ToString());
        var report = SharptraceBinary.Run("perf", "report", "-i", data, "--sort", "sym");
        Assert.Contains("SpinHere", report.StdOut);
    }

    [Fact]
    public void Flame_graph_svg_opens_in_headless_chromium_and_its_script_runs()
    {
        Require.Root();
        var program = NativeProgram.Build("hot", "-O0 -fno-omit-frame-pointer");
        var svg = Path.Combine(dir, "flame.svg");
        var profile = SharptraceBinary.Run("profile", "-F", "499", "--svg", svg, "--", program, "1");
        Assert.True(profile.ExitCode == 0, profile.ToString());
        Assert.Contains(">hot_a</text>", File.ReadAllText(svg));
        var chromium = Oracles.Require("chromium");
        string[] flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", $"--user-data-dir={Path.Combine(dir, "chrome")}"];
        // The search in the URL runs the SVG's script: "Matched: NN%" in the DOM proves it ran without error.
        var dom = ProcessRunner.Run(chromium, [.. flags, "--dump-dom", $"file://{svg}?s=hot_a"], TimeSpan.FromSeconds(90));
        Assert.Matches(@"Matched: (6[0-9]|7[0-9]|8[0-3])\.\d%", dom.StdOut);
        var png = Path.Combine(dir, "flame.png");
        ProcessRunner.Run(chromium, [.. flags, $"--screenshot={png}", "--window-size=1200,500", $"file://{svg}"], TimeSpan.FromSeconds(90));
        Assert.True(new FileInfo(png).Length > 5_000, "the screenshot is missing or blank");
        if (Environment.GetEnvironmentVariable("SHARPTRACE_KEEP_SCREENSHOT") is { } keep) File.Copy(png, keep, overwrite: true);
    }

    [Theory]
    [InlineData("unknown event", "event 'nosuch': unknown event", "perf", "stat", "-e", "nosuch", "--", "/bin/true")]
    [InlineData("hardware event", "not support", "perf", "record", "-e", "cycles", "-o", "/dev/null", "--", "/bin/true")]
    [InlineData("missing file", "no such file", "perf", "report", "-i", "/nonexistent/perf.data")]
    [InlineData("foreign file", "not a perf.data file", "perf", "report", "-i", "/etc/passwd")]
    [InlineData("bad sort", "unknown --sort key 'nope'", "perf", "report", "-i", "/etc/passwd", "--sort", "nope")]
    [InlineData("missing pid", "no process with pid", "perf", "stat", "-p", "999999")]
    public void Bad_input_is_one_clear_line(string what, string expected, params string[] args)
    {
        Require.Root();
        var result = SharptraceBinary.Run(args);
        Assert.True(result.ExitCode != 0, $"{what}: {result}");
        var line = Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line);
    }

    [Fact]
    public void A_pid_that_exits_mid_run_still_gets_its_counts()
    {
        Require.Root();
        using var sleeper = System.Diagnostics.Process.Start("/bin/sleep", "0.5");
        var result = SharptraceBinary.Run("perf", "stat", "-e", "task-clock,context-switches", "-p", sleeper.Id.ToString(CultureInfo.InvariantCulture));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"Performance counter stats for process id '{sleeper.Id}'", result.StdErr);
    }
}

[CollectionDefinition("perf sampling", DisableParallelization = true)]
public sealed class PerfSamplingCollection;
