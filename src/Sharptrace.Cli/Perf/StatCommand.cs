using System.CommandLine;
using System.Diagnostics;
using Sharptrace.Kernel;
using Sharptrace.Tracing.Perf;

namespace Sharptrace.Cli.Perf;

/// <summary>`sharptrace perf stat`: counts events for a command, a process or the whole system, printed like perf stat.</summary>
internal static class StatCommand
{
    public static Command Create()
    {
        var events = new Option<string[]>("--event", "-e") { Description = "events to count (comma-separated or repeated): task-clock, page-faults, cycles, sched:sched_switch, 'syscalls:sys_enter_*', rHEX", AllowMultipleArgumentsPerToken = false };
        var all = new Option<bool>("--all-cpus", "-a") { Description = "count on every CPU, every task" };
        var pid = new Option<int?>("--pid", "-p") { Description = "count an existing process (all its threads)" };
        var interval = new Option<int?>("--interval-print", "-I") { Description = "print the counts every N milliseconds" };
        var separator = new Option<string?>("--field-separator", "-x") { Description = "CSV output with this separator, as perf stat -x" };
        var perCpu = new Option<bool>("--no-aggr", "-A") { Description = "with -a: one count per CPU instead of the total" };
        var repeat = new Option<int>("--repeat", "-r") { Description = "run the command N times and show mean and variation", DefaultValueFactory = _ => 1 };
        var command = new Argument<string[]>("command") { Description = "the command to run (after --)", Arity = ArgumentArity.ZeroOrMore };
        var stat = new Command("stat", "Count events (software, hardware, tracepoints) for a command, a pid or the whole system") { events, all, pid, interval, separator, perCpu, repeat, command };
        stat.SetAction(result => Run(new StatOptions(
            result.GetValue(events) ?? [], result.GetValue(all), result.GetValue(pid), result.GetValue(interval),
            result.GetValue(separator), result.GetValue(repeat), result.GetValue(command) ?? [], result.GetValue(perCpu))));
        return stat;
    }

    private static int Run(StatOptions options)
    {
        if (options.Repeat < 1) throw new ArgumentException("--repeat must be at least 1");
        if (options.IntervalMs is <= 0) throw new ArgumentException("--interval-print must be a positive number of milliseconds");
        if (options.Command.Length == 0 && !options.AllCpus && options.Pid is null)
            throw new ArgumentException("give a command (after --), -p PID or -a");
        if (options.Command.Length > 0 && options.Pid is not null) throw new ArgumentException("give either a command or -p, not both");
        if (options.Repeat > 1 && options.Command.Length == 0) throw new ArgumentException("--repeat needs a command");
        if (options.PerCpu && !options.AllCpus) throw new ArgumentException("-A (per-CPU counts) needs -a: only system-wide counters are opened per CPU");
        if (options.PerCpu && (options.Repeat > 1 || options.IntervalMs is not null)) throw new ArgumentException("-A is not supported with -r or -I yet");
        var specs = EventSpecParser.Parse(options.Events.Length == 0 ? EventSpecParser.DefaultStatEvents : options.Events);
        var printer = new StatPrinter(Console.Error, options.Separator);
        var runs = new List<StatRun>();
        var exitCode = 0;
        using var stop = new StopSignal();
        for (var i = 0; i < options.Repeat && !stop.IsRaised; i++)
        {
            var run = RunOnce(options, specs, printer, stop, out exitCode);
            runs.Add(run);
        }
        printer.PrintSummary(runs);
        return exitCode;
    }

    private static StatRun RunOnce(StatOptions options, List<EventSpec> specs, StatPrinter printer, StopSignal stop, out int exitCode)
    {
        exitCode = 0;
        HeldCommand? launched = null;
        var counters = new List<Counter>();
        try
        {
            CountingTarget target;
            if (options.Command.Length > 0)
            {
                launched = HeldCommand.Start(options.Command);
                target = options.AllCpus ? CountingTarget.SystemWide() : CountingTarget.Command(launched.Pid, launched.CommandLine);
            }
            else
            {
                target = options.AllCpus ? CountingTarget.SystemWide() : CountingTarget.Process(options.Pid!.Value);
            }
            foreach (var spec in specs) counters.Add(Counter.Open(spec, target));
            var clock = Stopwatch.StartNew();
            if (launched is null || options.AllCpus)
                foreach (var counter in counters.Where(c => c.IsSupported)) counter.Enable();
            launched?.Resume();

            var previous = new CounterReading[counters.Count]; // counting starts at zero: the exec may already have counted by now
            var nextTick = options.IntervalMs ?? int.MaxValue;
            if (options.IntervalMs is not null) printer.PrintIntervalHeader();
            while (true)
            {
                var wait = (int)Math.Clamp(nextTick - clock.ElapsedMilliseconds, 0, 50);
                var ended = launched is not null ? launched.WaitForExit(wait) : stop.Wait(wait) || !ProcessAlive(options.Pid);
                if (stop.IsRaised && launched is not null) ended = launched.WaitForExit(wait); // the command got the same Ctrl-C
                if (options.IntervalMs is int every && clock.ElapsedMilliseconds >= nextTick)
                {
                    var now = counters.Select(c => c.Read()).ToArray();
                    printer.PrintInterval(clock.Elapsed, counters, now.Zip(previous, (n, p) => n.Since(p)).ToArray(), TimeSpan.FromMilliseconds(every));
                    previous = now;
                    nextTick += every;
                }
                if (ended) break;
            }
            var elapsed = clock.Elapsed;
            if (launched is not null) exitCode = launched.WaitForExit();
            var readings = counters.Select(c => c.Read()).ToArray();
            // Event-major, as perf prints: every CPU of the first event, then of the next.
            var perCpu = options.PerCpu ? counters.Select(c => c.ReadPerCpu()).ToArray() : null;
            if (options.IntervalMs is int last)
            {
                printer.PrintInterval(elapsed, counters, readings.Zip(previous, (n, p) => n.Since(p)).ToArray(), TimeSpan.FromMilliseconds(last));
            }
            return new StatRun(target.Description, counters.Select(c => c.Spec).ToArray(), counters.Select(c => c.UnsupportedReason).ToArray(),
                readings, elapsed, options.AllCpus ? null : launched?.CpuTimes, options.IntervalMs is not null) { PerCpu = perCpu };
        }
        finally
        {
            foreach (var counter in counters) counter.Dispose();
            launched?.Dispose();
        }
    }

    private static bool ProcessAlive(int? pid) => pid is null || Directory.Exists($"/proc/{pid}");

    private sealed record StatOptions(string[] Events, bool AllCpus, int? Pid, int? IntervalMs, string? Separator, int Repeat, string[] Command, bool PerCpu);
}

/// <summary>The result of one counting run, for printing (and averaging over -r runs).</summary>
internal sealed record StatRun(string Target, EventSpec[] Events, string?[] Unsupported, CounterReading[] Readings, TimeSpan Elapsed,
    (TimeSpan User, TimeSpan System)? CpuTimes, bool WasInterval)
{
    /// <summary>With -A: each event's counts by CPU (parallel to <see cref="Events"/>); null for totals.</summary>
    public SortedDictionary<int, CounterReading>[]? PerCpu { get; init; }
}
