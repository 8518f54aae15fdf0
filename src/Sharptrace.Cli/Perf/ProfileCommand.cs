using System.CommandLine;
using Sharptrace.Tracing.Perf;

namespace Sharptrace.Cli.Perf;

/// <summary>`sharptrace profile`: record with call chains and write a flame graph in one step.</summary>
internal static class ProfileCommand
{
    public static Command Create()
    {
        var options = new RecordOptionSet { DefaultCallGraph = true };
        var svg = new Option<string>("--svg") { Description = "the flame graph to write", DefaultValueFactory = _ => "profile.svg" };
        var folded = new Option<string?>("--folded") { Description = "also write folded stacks to this file" };
        var profile = new Command("profile", "Sample a command, pid or the whole system with call chains and write a flame graph SVG (record + report --svg)");
        options.AddTo(profile);
        profile.Options.Add(svg);
        profile.Options.Add(folded);
        profile.SetAction(result =>
        {
            var settings = options.Read(result);
            var data = Path.Combine(Path.GetTempPath(), $"sharptrace-profile-{Environment.ProcessId}.data");
            try
            {
                var recorded = RecordCommand.Record(settings, data, Console.Error);
                var loaded = ReportCommand.Load(data);
                File.WriteAllText(result.GetValue(svg)!, FlameGraphSvg.Render(loaded, $"Flame Graph: {string.Join(' ', settings.Command)}"));
                if (result.GetValue(folded) is { } foldedPath) File.WriteAllText(foldedPath, FoldedStacks.Render(loaded));
                Console.Error.WriteLine($"wrote {result.GetValue(svg)} ({loaded.Samples.Count} samples)");
                return recorded.ExitCode;
            }
            finally
            {
                File.Delete(data);
            }
        });
        return profile;
    }
}
