using System.CommandLine;
using Sharptrace.Tracing.Perf;
using Sharptrace.Tracing.Symbols;

namespace Sharptrace.Cli.Perf;

/// <summary>`sharptrace perf report`: the overhead table, call chains, folded stacks or a flame graph SVG of a perf.data file.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input", "-i") { Description = "the perf.data file to read", DefaultValueFactory = _ => "perf.data" };
        var stdio = new Option<bool>("--stdio") { Description = "text output (the only interactive-free mode; accepted for perf compatibility)" };
        var sort = new Option<string?>("--sort", "-s") { Description = "group by these keys: comm, pid, dso, sym, cpu (default comm,dso,sym)" };
        var callGraph = new Option<string?>("--call-graph", "-g")
        {
            Description = "show the call-graph tree under each entry; optional 'caller' (default, main first) or 'callee', and a threshold percent (e.g. -g callee,0.5)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var folded = new Option<bool>("--folded") { Description = "print folded stacks (comm;root;…;leaf count) for flame graph tools" };
        var svg = new Option<string?>("--svg") { Description = "write an interactive flame graph SVG to this file" };
        var noChildren = new Option<bool>("--no-children") { Description = "accepted for perf compatibility (overhead is always self)" };
        var report = new Command("report", "Report a perf.data file: overhead by symbol/dso/comm, call chains, folded stacks, flame graph SVG")
        {
            input, stdio, sort, callGraph, folded, svg, noChildren,
        };
        report.SetAction(result =>
        {
            var keys = ReportTable.ParseSortKeys(result.GetValue(sort));
            _ = ParseCallGraph(result.GetValue(callGraph)); // a bad -g value fails before the file is read
            var reader = Open(result.GetValue(input)!);
            var profile = Load(reader);
            if (result.GetValue(svg) is { } svgPath)
            {
                File.WriteAllText(svgPath, FlameGraphSvg.Render(profile, $"Flame Graph: {profile.EventName}, {profile.Samples.Count} samples"));
                Console.Error.WriteLine($"wrote {svgPath} ({profile.Samples.Count} samples)");
            }
            else if (result.GetValue(folded)) Console.Out.Write(FoldedStacks.Render(profile));
            else
            {
                var (order, threshold) = ParseCallGraph(result.GetValue(callGraph));
                // One table per event, as perf report --stdio prints them; flame graphs and folded stacks show the first.
                for (var e = 0; e < reader.Attrs.Count; e++)
                {
                    var table = e == 0 ? profile : Profile.Load(reader, Symbolizer.ForRecordedMappings(), e);
                    if (e > 0) Console.Out.WriteLine();
                    Console.Out.Write(ReportTable.Render(table, keys, result.GetResult(callGraph) is not null, order, threshold));
                }
            }
            return 0;
        });
        return report;
    }

    /// <summary>perf's -g value: comma-separated 'graph', 'caller' or 'callee', and a threshold percent; the rest of perf's fields are not supported.</summary>
    public static (CallGraphOrder Order, double ThresholdPercent) ParseCallGraph(string? value)
    {
        var (order, threshold) = (CallGraphOrder.Caller, 0.5);
        foreach (var part in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part == "caller") order = CallGraphOrder.Caller;
            else if (part == "callee") order = CallGraphOrder.Callee;
            else if (part == "graph") { }
            else if (double.TryParse(part, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var percent) && percent >= 0) threshold = percent;
            else throw new ArgumentException($"-g: '{part}' is not supported (use caller, callee, graph or a threshold percent)");
        }
        return (order, threshold);
    }

    /// <summary>Reads and resolves a perf.data file, warning (not failing) when it was cut short or lost samples.</summary>
    public static Profile Load(string path) => Load(Open(path));

    private static PerfDataReader Open(string path) =>
        File.Exists(path) ? PerfDataReader.Open(path) : throw new ArgumentException($"{path}: no such file (record one with 'sharptrace perf record')");

    private static Profile Load(PerfDataReader reader)
    {
        var path = reader.Path;
        var profile = Profile.Load(reader, Symbolizer.ForRecordedMappings());
        if (profile.Truncated) Console.Error.WriteLine($"sharptrace: warning: {path} is truncated; reporting the {profile.Samples.Count} samples before the cut");
        if (profile.Lost > 0) Console.Error.WriteLine($"sharptrace: warning: the recording lost {profile.Lost} samples");
        return profile;
    }
}
