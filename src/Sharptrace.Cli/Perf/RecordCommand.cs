using System.CommandLine;
using Sharptrace.Kernel;
using Sharptrace.Tracing.Perf;
using Sharptrace.Tracing.Symbols;

namespace Sharptrace.Cli.Perf;

/// <summary>`sharptrace perf record`: samples into a perf.data file that our report and Debian's perf report both read.</summary>
internal static class RecordCommand
{
    public static Command Create()
    {
        var options = new RecordOptionSet();
        var record = new Command("record", "Sample a command, a pid or the whole system into perf.data (-F/-c, -g, -e, -o)");
        options.AddTo(record);
        var output = new Option<string>("--output", "-o") { Description = "the file to write", DefaultValueFactory = _ => "perf.data" };
        record.Options.Add(output);
        record.SetAction(result =>
        {
            var settings = options.Read(result);
            var stats = Record(settings, result.GetValue(output)!, Console.Error);
            return stats.ExitCode;
        });
        return record;
    }

    /// <summary>Records into <paramref name="path"/>; prints perf's closing lines on <paramref name="log"/>.</summary>
    public static RecordResult Record(RecordSettings settings, string path, TextWriter log)
    {
        using var stop = new StopSignal();
        HeldCommand? launched = null;
        try
        {
            CountingTarget target;
            if (settings.Command.Length > 0)
            {
                launched = HeldCommand.Start(settings.Command);
                target = settings.AllCpus ? CountingTarget.SystemWide() : CountingTarget.Command(launched.Pid, launched.CommandLine);
            }
            else target = settings.AllCpus ? CountingTarget.SystemWide() : CountingTarget.Process(settings.Pid!.Value);

            using var session = SamplingSession.Open(settings.Sampling, target);
            using var writer = new PerfDataWriter(path, session.Events);
            if (SyntheticRecords.KernelMap(KernelTextAddress()) is { } kernelMap) writer.WriteRecord(kernelMap);
            var existing = settings.AllCpus ? SyntheticRecords.ForAllProcesses() : settings.Pid is int pid ? SyntheticRecords.ForProcess(pid) : [];
            foreach (var synthetic in existing) writer.WriteRecord(synthetic);

            if (launched is null || settings.AllCpus) session.Enable();
            launched?.Resume();
            var wakeups = 0;
            while (true)
            {
                if (session.Poll(100, writer.WriteRecord) > 0) wakeups++;
                if (launched is not null ? launched.HasExited : stop.IsRaised || (settings.Pid is int p && !Directory.Exists($"/proc/{p}"))) break;
                if (stop.IsRaised && launched is not null && launched.WaitForExit(2000)) break;
            }
            session.Disable();
            session.Drain(writer.WriteRecord);
            var exitCode = launched?.WaitForExit() ?? 0;
            writer.Finish(["sharptrace", "perf", "record", .. settings.Command]);
            var megabytes = new FileInfo(path).Length / 1048576.0;
            log.WriteLine($"[ perf record: Woken up {wakeups} times to write data ]");
            if (session.Lost > 0) log.WriteLine($"Warning: {session.Lost} samples lost (the rings were full): raise --mmap-pages or lower -F");
            log.WriteLine($"[ perf record: Captured and wrote {megabytes.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)} MB {path} ({session.Samples} samples) ]");
            return new RecordResult(exitCode, session.Samples, session.Lost);
        }
        finally
        {
            launched?.Dispose();
        }
    }

    private static ulong KernelTextAddress()
    {
        try { return KernelSymbols.Current.TextAddress; }
        catch (IOException) { return 0; }
    }
}

/// <summary>What a recording produced.</summary>
internal sealed record RecordResult(int ExitCode, ulong Samples, ulong Lost);

/// <summary>The parsed options shared by record, top and profile.</summary>
internal sealed record RecordSettings(SamplingOptions Sampling, bool AllCpus, int? Pid, string[] Command);

/// <summary>perf record's sampling options, shared by `perf record`, `perf top` and `profile`.</summary>
internal sealed class RecordOptionSet
{
    private readonly Option<string[]> eventName = new("--event", "-e") { Description = "the events to sample, repeated or comma-separated (default: cycles, or cpu-clock without a PMU)" };
    private readonly Option<ulong?> frequency = new("--freq", "-F") { Description = "samples per second (default 4000)" };
    private readonly Option<ulong?> period = new("--count", "-c") { Description = "sample every N events instead of a frequency" };
    private readonly Option<bool> callGraph = new("--call-graph", "-g") { Description = "record call chains (frame pointers)" };
    private readonly Option<bool> all = new("--all-cpus", "-a") { Description = "sample every CPU" };
    private readonly Option<int?> pid = new("--pid", "-p") { Description = "sample an existing process" };
    private readonly Option<int> pages = new("--mmap-pages", "-m") { Description = "ring pages per CPU (a power of two)", DefaultValueFactory = _ => 128 };
    private readonly Argument<string[]> command = new("command") { Description = "the command to run (after --)", Arity = ArgumentArity.ZeroOrMore };

    public bool DefaultCallGraph { get; init; }

    public void AddTo(Command target)
    {
        target.Options.Add(eventName);
        target.Options.Add(frequency);
        target.Options.Add(period);
        target.Options.Add(callGraph);
        target.Options.Add(all);
        target.Options.Add(pid);
        target.Options.Add(pages);
        target.Arguments.Add(command);
    }

    public RecordSettings Read(ParseResult result, bool needTarget = true)
    {
        var words = result.GetValue(command) ?? [];
        var isAll = result.GetValue(all);
        var processId = result.GetValue(pid);
        if (needTarget && words.Length == 0 && !isAll && processId is null) throw new ArgumentException("give a command (after --), -p PID or -a");
        if (words.Length > 0 && processId is not null) throw new ArgumentException("give either a command or -p, not both");
        var named = result.GetValue(eventName) ?? [];
        var events = EventSpecParser.Parse(named.Length == 0 ? ["cycles"] : named);
        if (events.Count == 0) throw new ArgumentException($"-e '{string.Join(',', named)}' names no event");
        var freq = result.GetValue(frequency);
        if (freq is 0) throw new ArgumentException("-F must be at least 1");
        var count = result.GetValue(period);
        if (count is 0) throw new ArgumentException("-c must be at least 1");
        if (result.GetValue(pages) is var p && (p <= 0 || (p & (p - 1)) != 0)) throw new ArgumentException("--mmap-pages must be a power of two");
        var sampling = new SamplingOptions(events[0], freq ?? 4000, count, result.GetValue(callGraph) || DefaultCallGraph, result.GetValue(pages),
            FallBackToCpuClock: named.Length == 0, OtherEvents: events.Skip(1).ToArray());
        return new RecordSettings(sampling, isAll, processId, words);
    }
}
