using System.CommandLine;
using Sharptrace.Kernel;
using Sharptrace.Tracing.Ftrace;
using Sharptrace.Tracing.TraceFs;

namespace Sharptrace.Cli.Ftrace;

/// <summary>`sharptrace ftrace list`: events (-e, with a glob), tracers (-t), options (-o), an event's fields (-f).</summary>
internal static class FtraceListCommand
{
    public static Command Create()
    {
        var events = new Option<bool>("--events", "-e") { Description = "List events (system:event); the argument is a glob" };
        var tracers = new Option<bool>("--tracers", "-t") { Description = "List tracers" };
        var options = new Option<bool>("--options", "-o") { Description = "List tracer options and their values" };
        var fields = new Option<string?>("--fields", "-f") { Description = "Show the fields of an event (system:event)" };
        var pattern = new Argument<string?>("glob") { Description = "Glob over system:event (with -e)", Arity = ArgumentArity.ZeroOrOne };
        var list = new Command("list", "List events, tracers, options or an event's fields") { events, tracers, options, fields, pattern };
        list.SetAction(result =>
        {
            var root = TraceFsAccess.Require(TraceFs.Root);
            if (result.GetValue(fields) is { } name) return Fields(root, name);
            if (result.GetValue(tracers)) { Console.WriteLine(File.ReadAllText(Path.Combine(root, "available_tracers")).Trim()); return 0; }
            if (result.GetValue(options))
            {
                foreach (var path in Directory.EnumerateFiles(Path.Combine(root, "options")).Order(StringComparer.Ordinal))
                    Console.WriteLine($"{(File.ReadAllText(path).Trim() == "1" ? "" : "no")}{Path.GetFileName(path)}");
                return 0;
            }
            var glob = result.GetValue(pattern) ?? "*";
            if (!glob.Contains(':')) glob = glob.Contains('*') ? $"*:{glob}" : $"{glob}:*";
            var selection = EventSelection.Parse(glob);
            var output = Console.Out;
            foreach (var (system, name2) in selection.Expand(root)) output.WriteLine($"{system}:{name2}");
            return 0;
        });
        return list;
    }

    private static int Fields(string root, string name)
    {
        var selection = EventSelection.Parse(name);
        var matched = selection.Expand(root);
        if (matched.Count == 0) throw new ArgumentException($"unknown event '{name}' (see 'sharptrace ftrace list -e')");
        foreach (var (system, eventName) in matched)
        {
            var format = EventFormat.Load(root, system, eventName);
            Console.WriteLine($"{system}:{eventName} (id {format.Id})");
            foreach (var field in format.Fields)
            {
                if (field.IsCommon) continue;
                var kind = field.IsDataLoc ? "__data_loc " : field.IsRelLoc ? "__rel_loc " : "";
                var array = field.ArrayLength is int n ? $"[{(n > 0 ? n : "")}]" : "";
                Console.WriteLine($"    {kind}{field.Type} {field.Name}{array};\toffset:{field.Offset} size:{field.Size} {(field.IsSigned ? "signed" : "unsigned")}");
            }
        }
        return 0;
    }
}
