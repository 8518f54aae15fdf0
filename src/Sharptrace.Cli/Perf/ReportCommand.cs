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
        var callGraph = new Option<bool>("--call-graph", "-g") { Description = "show the caller chains under each entry" };
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
            var profile = Load(result.GetValue(input)!);
            if (result.GetValue(svg) is { } svgPath)
            {
                File.WriteAllText(svgPath, FlameGraphSvg.Render(profile, $"Flame Graph: {profile.EventName}, {profile.Samples.Count} samples"));
                Console.Error.WriteLine($"wrote {svgPath} ({profile.Samples.Count} samples)");
            }
            else if (result.GetValue(folded)) Console.Out.Write(FoldedStacks.Render(profile));
            else Console.Out.Write(ReportTable.Render(profile, keys, result.GetValue(callGraph)));
            return 0;
        });
        return report;
    }

    /// <summary>Reads and resolves a perf.data file, warning (not failing) when it was cut short or lost samples.</summary>
    public static Profile Load(string path)
    {
        if (!File.Exists(path)) throw new ArgumentException($"{path}: no such file (record one with 'sharptrace perf record')");
        var reader = PerfDataReader.Open(path);
        var profile = Profile.Load(reader, Symbolizer.ForRecordedMappings());
        if (profile.Truncated) Console.Error.WriteLine($"sharptrace: warning: {path} is truncated; reporting the {profile.Samples.Count} samples before the cut");
        if (profile.Lost > 0) Console.Error.WriteLine($"sharptrace: warning: the recording lost {profile.Lost} samples");
        return profile;
    }
}
