using System.CommandLine;
using System.Globalization;
using System.Text;
using Sharptrace.Tracing.Ftrace;
using Sharptrace.Tracing.Ftrace.Export;

namespace Sharptrace.Cli.Ftrace;

/// <summary>`sharptrace ftrace report`: a trace file as text ordered by time across CPUs (like trace-cmd report), JSON, or Chrome trace JSON.</summary>
internal static class FtraceReportCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input", "-i") { Description = "Trace file", DefaultValueFactory = _ => "trace.dat" };
        var json = new Option<bool>("--json") { Description = "One JSON document: events with decoded fields, and per-CPU stats" };
        var chrome = new Option<bool>("--chrome", "--perfetto") { Description = "Chrome trace event JSON (ui.perfetto.dev, chrome://tracing)" };
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file instead of stdout" };
        var cpus = new Option<int[]>("--cpu") { Description = "Only these CPUs; repeatable", Arity = ArgumentArity.ZeroOrMore };
        var events = new Option<string[]>("--event", "-F") { Description = "Only events whose name matches (glob: sched_*, syscalls:*); repeatable", Arity = ArgumentArity.ZeroOrMore };
        var stat = new Option<bool>("--stat") { Description = "Only the per-CPU buffer stats and counts per event" };
        var report = new Command("report", "Show a recorded trace (default trace.dat)") { input, json, chrome, output, cpus, events, stat };
        report.SetAction(result => Run(result.GetValue(input)!, result.GetValue(json), result.GetValue(chrome), result.GetValue(output),
            result.GetValue(cpus) ?? [], result.GetValue(events) ?? [], result.GetValue(stat)));
        return report;
    }

    private static int Run(string input, bool json, bool chrome, string? outputPath, int[] cpus, string[] events, bool stat)
    {
        if (!File.Exists(input)) throw new FileNotFoundException($"{input} does not exist (record one with 'sharptrace ftrace record')", input);
        var file = TraceFile.Load(input);
        var cursors = file.Cpus.Where(c => cpus.Length == 0 || cpus.Contains(c))
            .Select(c => new CpuRecordCursor(c, file.Data, file.PagesOf(c), file.Layout)).ToList();
        IEnumerable<TraceRecord> records = TraceRecordMerger.Merge(cursors);
        if (events.Length > 0)
        {
            var wanted = file.Events.All.Where(t => events.Any(p => Glob.Matches(p, t.Name) || Glob.Matches(p, $"{t.System}:{t.Name}"))).Select(t => t.Id).ToHashSet();
            records = records.Where(r => r.IsLostMarker || wanted.Contains(r.Type));
        }
        using var stream = outputPath is null ? Console.OpenStandardOutput() : File.Create(outputPath);
        if (stat) Stat(stream, file, records);
        else if (chrome) ChromeTraceExporter.Write(stream, file, records);
        else if (json) JsonTraceExporter.Write(stream, file, records);
        else Text(stream, file, records);
        foreach (var cursor in cursors.Where(c => c.BadPages > 0))
            Console.Error.WriteLine($"sharptrace: {cursor.BadPages} damaged page(s) skipped on cpu {cursor.Cpu}: {cursor.FirstError}");
        return 0;
    }

    private static void Text(Stream stream, TraceFile file, IEnumerable<TraceRecord> records)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16);
        writer.Write("cpus=");
        writer.Write(file.Metadata.GetValueOrDefault("cpus", file.Cpus.Count().ToString(CultureInfo.InvariantCulture)));
        writer.Write('\n');
        var formatter = new TraceTextFormatter(file.Events, file.Comms, file.Symbols);
        var line = new StringBuilder(256);
        foreach (var record in records)
        {
            line.Clear();
            formatter.AppendLine(line, record);
            line.Append('\n');
            writer.Write(line);
        }
    }

    private static void Stat(Stream stream, TraceFile file, IEnumerable<TraceRecord> records)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false));
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var perCpu = new SortedDictionary<int, long>();
        foreach (var record in records)
        {
            if (record.IsLostMarker) continue;
            var type = file.Events.Find(record.Type);
            var name = type is null ? $"unknown:{record.Type}" : type.ToString();
            counts[name] = counts.GetValueOrDefault(name) + 1;
            perCpu[record.Cpu] = perCpu.GetValueOrDefault(record.Cpu) + 1;
        }
        foreach (var (name, count) in counts) writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count,10}  {name}"));
        foreach (var (cpu, text) in file.CpuStats)
        {
            var s = CpuBufferStats.Parse(cpu, text);
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"CPU{cpu}: decoded {perCpu.GetValueOrDefault(cpu)}, kernel read events {s.ReadEvents}, overrun {s.Overrun}, commit overrun {s.CommitOverrun}, dropped {s.DroppedEvents}"));
        }
    }
}
