using System.CommandLine;
using System.Text;
using Sharptrace.Kernel;
using Sharptrace.Tracing.Ftrace;
using Sharptrace.Tracing.TraceFs;

namespace Sharptrace.Cli.Ftrace;

/// <summary>`sharptrace ftrace stream`: events decoded live from the raw buffers of a private instance until Ctrl-C (like trace-cmd stream).</summary>
internal static class FtraceStreamCommand
{
    public static Command Create()
    {
        var events = new Option<string[]>("--event", "-e") { Description = "Event to enable (system:event, system, glob); repeatable", Arity = ArgumentArity.ZeroOrMore };
        var filter = new Option<string?>("--filter", "-f") { Description = "Filter applied to every -e" };
        var tracer = new Option<string?>("--plugin", "-p") { Description = "Tracer (function, function_graph, …)" };
        var functions = new Option<string[]>("--limit", "-l") { Description = "Only these functions (set_ftrace_filter)", Arity = ArgumentArity.ZeroOrMore };
        var pids = new Option<int[]>("--pid", "-P") { Description = "Only these pids", Arity = ArgumentArity.ZeroOrMore };
        var duration = new Option<double?>("--duration", "-d") { Description = "Stop after this many seconds" };
        var stream = new Command("stream", "Print events live as they are recorded, until Ctrl-C") { events, filter, tracer, functions, pids, duration };
        stream.SetAction(result =>
        {
            var options = new RecordOptions { Tracer = result.GetValue(tracer) };
            foreach (var e in result.GetValue(events) ?? []) options.Events.Add(EventSelection.Parse(e, result.GetValue(filter)));
            options.FunctionFilters.AddRange(result.GetValue(functions) ?? []);
            options.Pids.AddRange(result.GetValue(pids) ?? []);
            return Run(options, result.GetValue(duration));
        });
        return stream;
    }

    private static int Run(RecordOptions options, double? duration)
    {
        using var stop = new StopSignal();
        using var recorder = FtraceRecorder.Create(TraceFsAccess.Require(TraceFs.Root), options, new TraceFileWriter(Stream.Null));
        var types = recorder.LoadEventTypes();
        KernelSymbolTable? symbols = null;
        if (options.Tracer is not null) symbols = KernelSymbolTable.Parse(KernelSymbolTable.ReadTextSymbols());
        var comms = new Dictionary<int, string>();
        var formatter = new TraceTextFormatter(types, comms, symbols);
        var layout = RingBufferLayout.Parse(File.ReadAllText(Path.Combine(recorder.Instance.TraceFsRoot, "events/header_page")));
        var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16);
        var batch = new List<(ulong Timestamp, int Cpu, byte[] Data)>();
        recorder.PageObserver = (cpu, pages) =>
        {
            for (var at = 0; at + recorder.PageSizeInBytes <= pages.Length; at += recorder.PageSizeInBytes)
                foreach (var record in new RingBufferPage(pages.Slice(at, recorder.PageSizeInBytes), layout))
                    batch.Add((record.Timestamp, cpu, record.Data.ToArray()));
        };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        recorder.Begin();
        var line = new StringBuilder();
        void Flush()
        {
            batch.Sort((a, b) => a.Timestamp != b.Timestamp ? a.Timestamp.CompareTo(b.Timestamp) : a.Cpu.CompareTo(b.Cpu));
            foreach (var (timestamp, cpu, data) in batch)
            {
                line.Clear();
                var record = new TraceRecord(cpu, timestamp, data);
                LearnComm(comms, types, record);
                formatter.AppendLine(line, record);
                output.WriteLine(line);
            }
            batch.Clear();
            output.Flush();
        }
        while (!stop.Stopped && !(duration is double limit && clock.Elapsed.TotalSeconds >= limit))
        {
            var moved = recorder.Poll();
            Flush();
            stop.Token.WaitHandle.WaitOne(moved > 0 ? 20 : 100);
        }
        recorder.Finish();
        Flush();
        return 0;
    }

    /// <summary>Live, saved_cmdlines is not read yet: learn comms from sched_switch and the emitting task's records.</summary>
    private static void LearnComm(Dictionary<int, string> comms, EventTypeTable types, TraceRecord record)
    {
        if (types.Find(record.Type) is not { Name: "sched_switch" } type) return;
        var span = record.Data.Span;
        if (type.Format.Field("next_pid") is { } pid && type.Format.Field("next_comm") is { } comm)
            comms[(int)RecordFields.ReadInteger(span, pid)] = RecordFields.ReadString(span, comm);
        if (type.Format.Field("prev_pid") is { } ppid && type.Format.Field("prev_comm") is { } pcomm)
            comms[(int)RecordFields.ReadInteger(span, ppid)] = RecordFields.ReadString(span, pcomm);
    }
}
