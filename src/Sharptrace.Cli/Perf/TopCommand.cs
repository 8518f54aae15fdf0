using System.CommandLine;
using Sharptrace.Tracing.Perf;
using Sharptrace.Tracing.Symbols;

namespace Sharptrace.Cli.Perf;

/// <summary>`sharptrace perf top`: system-wide (or -p) sampling with a live table refreshed in the terminal until Ctrl-C.</summary>
internal static class TopCommand
{
    public static Command Create()
    {
        var eventName = new Option<string?>("--event", "-e") { Description = "the event to sample (default cycles, or cpu-clock without a PMU)" };
        var frequency = new Option<ulong>("--freq", "-F") { Description = "samples per second", DefaultValueFactory = _ => 4000 };
        var pid = new Option<int?>("--pid", "-p") { Description = "only this process" };
        var delay = new Option<double>("--delay", "-d") { Description = "seconds between refreshes", DefaultValueFactory = _ => 2 };
        var rows = new Option<int>("--rows") { Description = "entries shown", DefaultValueFactory = _ => 20 };
        var iterations = new Option<int?>("--iterations", "-n") { Description = "stop after this many refreshes (default: until Ctrl-C)" };
        var top = new Command("top", "Live table of the hottest symbols, refreshed until Ctrl-C") { eventName, frequency, pid, delay, rows, iterations };
        top.SetAction(result =>
        {
            var events = EventSpecParser.Parse([result.GetValue(eventName) ?? "cycles"]);
            if (result.GetValue(delay) <= 0) throw new ArgumentException("--delay must be positive");
            var target = result.GetValue(pid) is int p ? CountingTarget.Process(p) : CountingTarget.SystemWide();
            using var session = SamplingSession.Open(new SamplingOptions(events[0], result.GetValue(frequency), FallBackToCpuClock: result.GetValue(eventName) is null), target);
            using var stop = new StopSignal();
            var symbolizer = Symbolizer.ForLiveProcesses();
            var counts = new Dictionary<(string Module, string Name, bool Kernel), long>();
            long total = 0;
            var reader = new SampleDecoder(session.Attr.SampleType);
            session.Enable();
            var refreshes = 0;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (!stop.IsRaised)
            {
                session.Poll(100, record =>
                {
                    if (!reader.TryDecode(record, out var samplePid, out var ip)) return;
                    var symbol = symbolizer.Resolve(samplePid, ip);
                    var key = (symbol.ShortModule, symbol.DisplayName, symbol.Kind == SymbolKind.Kernel);
                    counts[key] = counts.GetValueOrDefault(key) + 1;
                    total++;
                });
                if (clock.Elapsed.TotalSeconds < result.GetValue(delay)) continue;
                clock.Restart();
                Draw(counts, total, session, events[0].Name, result.GetValue(rows));
                counts.Clear();
                total = 0;
                if (result.GetValue(iterations) is int n && ++refreshes >= n) break;
            }
            return 0;
        });
        return top;
    }

    private static void Draw(Dictionary<(string Module, string Name, bool Kernel), long> counts, long total, SamplingSession session, string eventName, int rows)
    {
        var screen = new System.Text.StringBuilder();
        if (!Console.IsOutputRedirected) screen.Append("\u001b[H\u001b[2J");
        screen.AppendLine($"   Samples: {total} of event '{session.Event.Name}', lost: {session.Lost}");
        screen.AppendLine("Overhead  Shared Object             Symbol");
        foreach (var ((module, name, kernel), count) in counts.OrderByDescending(c => c.Value).Take(rows))
            screen.AppendLine($"{100.0 * count / Math.Max(1, total),7:F2}%  {module,-24}  {(kernel ? "[k]" : "[.]")} {name}");
        Console.Out.Write(screen.ToString());
        Console.Out.Flush();
    }
}
