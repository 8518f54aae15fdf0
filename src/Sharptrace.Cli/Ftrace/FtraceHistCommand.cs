using System.CommandLine;
using Sharptrace.Kernel;
using Sharptrace.Tracing.Ftrace;
using Sharptrace.Tracing.TraceFs;

namespace Sharptrace.Cli.Ftrace;

/// <summary>
/// `sharptrace ftrace hist 'sched:sched_switch' 'keys=prev_pid' 'values=…'`: an in-kernel histogram
/// through a hist trigger on the event, in a private instance, printed when the command ends or at Ctrl-C.
/// </summary>
internal static class FtraceHistCommand
{
    public static Command Create()
    {
        var eventName = new Argument<string>("event") { Description = "The event (system:event)" };
        var parts = new Argument<string[]>("spec") { Description = "keys=…, values=… (vals=), sort=…, size=…; as in the kernel's histogram.rst", Arity = ArgumentArity.OneOrMore };
        var filter = new Option<string?>("--filter", "-f") { Description = "Only records matching this filter (the trigger's 'if')" };
        var duration = new Option<double?>("--duration", "-d") { Description = "Collect for this many seconds" };
        var command = new Option<string[]>("--command", "-c") { Description = "Run this command (one shell word list) and collect while it runs", Arity = ArgumentArity.ZeroOrMore, AllowMultipleArgumentsPerToken = true };
        var hist = new Command("hist", "Aggregate an event in the kernel with a hist trigger and print the histogram") { eventName, parts, filter, duration, command };
        hist.SetAction(result => Run(result.GetValue(eventName)!, result.GetValue(parts)!, result.GetValue(filter), result.GetValue(duration), result.GetValue(command) ?? []));
        return hist;
    }

    /// <summary>"keys=a,b" "values=c" → "hist:keys=a,b:vals=c".</summary>
    internal static string Trigger(string[] parts, string? filter)
    {
        var pieces = new List<string>();
        foreach (var part in parts)
            foreach (var piece in part.Split(':', StringSplitOptions.RemoveEmptyEntries))
                pieces.Add(piece.StartsWith("values=", StringComparison.Ordinal) ? "vals=" + piece[7..] : piece);
        if (!pieces.Any(p => p.StartsWith("keys=", StringComparison.Ordinal) || p.StartsWith("key=", StringComparison.Ordinal)))
            throw new ArgumentException("a histogram needs keys=FIELD[,FIELD…]");
        return "hist:" + string.Join(':', pieces) + (filter is null ? "" : $" if {filter}");
    }

    private static int Run(string name, string[] parts, string? filter, double? duration, string[] command)
    {
        var root = TraceFsAccess.Require(TraceFs.Root);
        var selection = EventSelection.Parse(name);
        var matched = selection.Expand(root);
        if (matched.Count != 1) throw new ArgumentException(matched.Count == 0 ? $"unknown event '{name}' (see 'sharptrace ftrace list -e')" : $"'{name}' names {matched.Count} events; give one system:event");
        var (system, eventName) = matched[0];
        var trigger = Trigger(parts, filter);
        using var instance = TraceInstance.Create(root);
        using var changes = new TraceFsChangeLog(instance.Files);
        var triggerFile = $"events/{system}/{eventName}/trigger";
        if (!instance.Files.Exists(triggerFile) || !File.Exists(Path.Combine(instance.Files.Root, $"events/{system}/{eventName}/hist")) && !File.Exists(Path.Combine(root, $"events/{system}/{eventName}/hist")))
            throw new TraceFsUnavailableException("this kernel has no hist triggers (CONFIG_HIST_TRIGGERS is off)");
        changes.AddTrigger(triggerFile, trigger);
        using var stop = new StopSignal();
        if (command.Length > 0)
        {
            using var child = HeldCommand.Start(command.Length == 1 ? ["/bin/sh", "-c", command[0]] : command);
            child.Resume();
            while (!child.WaitForExit(TimeSpan.FromMilliseconds(50)) && !stop.Stopped) { }
        }
        else
        {
            if (duration is null) Console.Error.WriteLine("sharptrace: collecting; Ctrl-C to print the histogram");
            stop.Token.WaitHandle.WaitOne(duration is double d ? TimeSpan.FromSeconds(d) : Timeout.InfiniteTimeSpan);
        }
        var text = instance.Files.Read($"events/{system}/{eventName}/hist");
        foreach (var line in text.Split('\n'))
        {
            // The kernel's header repeats the trigger; keep the data and the totals.
            if (line.StartsWith("# event histogram", StringComparison.Ordinal) || line.StartsWith("# trigger info:", StringComparison.Ordinal)) Console.WriteLine(line);
            else if (!line.StartsWith('#') && (line.Length > 0 || false)) Console.WriteLine(line);
        }
        return 0;
    }
}
