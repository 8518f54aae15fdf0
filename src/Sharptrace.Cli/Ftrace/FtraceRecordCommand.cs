using System.CommandLine.Parsing;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Sharptrace.Kernel;
using Sharptrace.Tracing.Ftrace;
using Sharptrace.Tracing.TraceFs;

namespace Sharptrace.Cli.Ftrace;

/// <summary>`sharptrace ftrace record`: trace-cmd record's flags; raw per-CPU pages into a trace file.</summary>
internal static class FtraceRecordCommand
{
    public static Command Create()
    {
        var events = new Option<string[]>("--event", "-e") { Description = "Event to enable: system:event, system, a glob (sched:sched_*); repeatable", Arity = ArgumentArity.ZeroOrMore };
        var filters = new Option<string[]>("--filter", "-f") { Description = "Filter for the -e before it, in the kernel's filter syntax ('pid == 42 && prev_state == 1')", Arity = ArgumentArity.ZeroOrMore };
        var tracer = new Option<string?>("--plugin", "-p") { Description = "Tracer: function, function_graph, … (see 'ftrace list -t')" };
        var functions = new Option<string[]>("--limit", "-l") { Description = "Only these functions (set_ftrace_filter; globs); repeatable", Arity = ArgumentArity.ZeroOrMore };
        var notrace = new Option<string[]>("--notrace", "-n") { Description = "Not these functions (set_ftrace_notrace); repeatable", Arity = ArgumentArity.ZeroOrMore };
        var graph = new Option<string[]>("--graph", "-g") { Description = "Graph only below these functions (set_graph_function); repeatable", Arity = ArgumentArity.ZeroOrMore };
        var pids = new Option<int[]>("--pid", "-P") { Description = "Only these pids; repeatable", Arity = ArgumentArity.ZeroOrMore };
        var children = new Option<bool>("-c") { Description = "Follow the children of traced pids (and of the command)" };
        var buffer = new Option<int?>("--buffer-size", "-b") { Description = "Per-CPU buffer size in KB" };
        var output = new Option<string>("--output", "-o") { Description = "Output file", DefaultValueFactory = _ => "trace.dat" };
        var duration = new Option<double?>("--duration", "-d") { Description = "Stop after this many seconds (else at the command's exit or Ctrl-C)" };
        var top = new Option<bool>("--top-level") { Description = "Record in the top-level buffer (restored afterwards) instead of a private instance" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No summary" };
        var command = new Argument<string[]>("command") { Description = "Command to run and trace (after --)", Arity = ArgumentArity.ZeroOrMore };
        var record = new Command("record", "Record events and tracers into a trace file (default trace.dat), then restore tracefs as it was")
        {
            events, filters, tracer, functions, notrace, graph, pids, children, buffer, output, duration, top, quiet, command,
        };
        record.SetAction(result =>
        {
            var options = new RecordOptions
            {
                Tracer = result.GetValue(tracer),
                FollowChildren = result.GetValue(children),
                BufferKb = result.GetValue(buffer),
                TopLevel = result.GetValue(top),
            };
            options.Events.AddRange(Selections(result));
            options.FunctionFilters.AddRange(result.GetValue(functions) ?? []);
            options.FunctionNotrace.AddRange(result.GetValue(notrace) ?? []);
            options.GraphFunctions.AddRange(result.GetValue(graph) ?? []);
            options.Pids.AddRange(result.GetValue(pids) ?? []);
            return Run(options, result.GetValue(output)!, result.GetValue(command) ?? [], result.GetValue(duration), result.GetValue(quiet));
        });
        return record;
    }

    /// <summary>-e and -f in command-line order: a -f filters the -e before it, as in trace-cmd.</summary>
    private static List<EventSelection> Selections(ParseResult result)
    {
        var selections = new List<EventSelection>();
        var tokens = result.Tokens;
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            var name = tokens[i].Value;
            if (tokens[i].Type != TokenType.Option) continue;
            var value = tokens[i + 1].Value;
            if (name is "-e" or "--event") selections.Add(EventSelection.Parse(value));
            else if (name is "-f" or "--filter")
            {
                if (selections.Count == 0) throw new ArgumentException("-f must follow the -e it filters");
                selections[^1] = selections[^1] with { Filter = value };
            }
        }
        return selections;
    }

    private static int Run(RecordOptions options, string output, string[] command, double? duration, bool quiet)
    {
        var root = TraceFsAccess.Require(TraceFs.Root);
        using var stop = new StopSignal();
        HeldCommand? child = null;
        var clock = Stopwatch.StartNew();
        IReadOnlyList<CpuBufferStats> stats;
        FtraceRecorder? recorder = null;
        long fileLength;
        var started = false;
        int? childExit = null;
        var writer = TraceFileWriter.Create(output);
        try
        {
            if (command.Length > 0)
            {
                child = HeldCommand.Start(command);
                options.Pids.Add(child.Pid);
            }
            recorder = FtraceRecorder.Create(root, options, writer);
            foreach (var note in recorder.Notes) Console.Error.WriteLine($"sharptrace: {note}");
            recorder.Begin();
            started = true;
            child?.Resume();
            var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            while (!stop.Stopped)
            {
                if (child is { HasExited: true }) break;
                if (duration is double limit && clock.Elapsed.TotalSeconds >= limit) break;
                var moved = recorder.Poll();
                // Poll often while data flows (buffers must not fill), rarely when idle.
                if (child is not null) child.WaitForExit(TimeSpan.FromMilliseconds(moved > 0 ? 10 : 50));
                else stop.Token.WaitHandle.WaitOne(moved > 0 ? 10 : 50);
            }
            stats = recorder.Finish();
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpuBefore;
            fileLength = writer.Length;
            if (!quiet) Summary(stats, output, fileLength, clock.Elapsed, cpu);
        }
        finally
        {
            if (child is { HasExited: true }) childExit = child.ExitCode;
            child?.Dispose();
            writer.Dispose();
            recorder?.Dispose();
            if (!started) File.Delete(output); // a failed setup leaves no half file behind
            if (recorder is not null)
                foreach (var error in recorder.RestoreErrors) Console.Error.WriteLine($"sharptrace: could not restore {error}");
        }
        if (stop.Stopped && !quiet) Console.Error.WriteLine("sharptrace: stopped by signal; tracing state restored");
        return childExit ?? 0;
    }

    private static void Summary(IReadOnlyList<CpuBufferStats> stats, string output, long bytes, TimeSpan elapsed, TimeSpan cpu)
    {
        var c = CultureInfo.InvariantCulture;
        foreach (var s in stats)
            Console.Error.WriteLine(string.Create(c, $"CPU{s.Cpu}: {s.ReadEvents} events read, overrun {s.Overrun}, commit overrun {s.CommitOverrun}, dropped {s.DroppedEvents}"));
        var lost = stats.Sum(s => s.Lost);
        Console.Error.WriteLine(string.Create(c, $"recorded {stats.Sum(s => s.ReadEvents)} events ({bytes / 1024} KiB) to {output} in {elapsed.TotalSeconds:F2} s, {cpu.TotalMilliseconds:F0} ms CPU; lost {lost}"));
    }
}
