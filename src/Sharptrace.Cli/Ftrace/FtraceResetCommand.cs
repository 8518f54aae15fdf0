using System.CommandLine;
using Sharptrace.Kernel;
using Sharptrace.Tracing.Ftrace;
using Sharptrace.Tracing.TraceFs;

namespace Sharptrace.Cli.Ftrace;

/// <summary>`sharptrace ftrace reset`: puts the top-level buffer back to its boot state (like trace-cmd reset) and removes stale sharptrace_ instances.</summary>
internal static class FtraceResetCommand
{
    public static Command Create()
    {
        var reset = new Command("reset", "Disable every tracer, event, filter and trigger of the top-level buffer, clear it, and remove sharptrace_ instances of dead runs");
        reset.SetAction(_ =>
        {
            var root = TraceFsAccess.Require(TraceFs.Root);
            var files = new TraceFsFiles(root);
            files.Write("tracing_on", "0");
            files.Write("current_tracer", "nop");
            files.Write("set_event", "");
            foreach (var list in (string[])["set_ftrace_filter", "set_ftrace_notrace", "set_graph_function", "set_graph_notrace", "set_event_pid", "set_ftrace_pid", "set_event_notrace_pid", "set_ftrace_notrace_pid"])
                if (files.IsUsable(list)) files.Write(list, "");
            var cleared = 0;
            foreach (var system in Directory.EnumerateDirectories(files.PathOf("events")))
            {
                foreach (var eventPath in Directory.EnumerateDirectories(system))
                {
                    var relative = Path.GetRelativePath(root, eventPath);
                    var trigger = Path.Combine(relative, "trigger");
                    foreach (var line in files.Read(trigger).Split('\n'))
                    {
                        var text = line.Trim();
                        if (text.Length == 0 || text.StartsWith('#')) continue;
                        // A trigger's listing adds " [unlimited]" and its "if" filter; removal takes "!" and the trigger itself.
                        var bracket = text.IndexOf(" [", StringComparison.Ordinal);
                        var core = bracket > 0 ? text[..bracket] : text;
                        try { files.Write(trigger, "!" + core, append: true); cleared++; }
                        catch (TraceFsWriteException e) { Console.Error.WriteLine($"sharptrace: {e.Message}"); }
                    }
                    var filter = Path.Combine(relative, "filter");
                    if (files.Read(filter).Trim() is { Length: > 0 } f && f != "none") { files.Write(filter, "0"); cleared++; }
                }
            }
            files.Write("trace", "");
            files.Write("tracing_on", "1");
            var stale = TraceInstance.RemoveStale(root);
            Console.Error.WriteLine($"reset: tracer nop, events off, function and pid lists empty, {cleared} filters/triggers removed, buffer cleared{(stale.Count > 0 ? $", removed {string.Join(' ', stale)}" : "")}");
            return 0;
        });
        return reset;
    }
}
