using System.CommandLine;

namespace Sharptrace.Cli.Perf;

/// <summary>`sharptrace perf`: perf's stat, record, report and top, done by us through perf_event_open.</summary>
internal static class PerfCommand
{
    public static Command Create()
    {
        var perf = new Command("perf", "Counters, sampling profiles with call chains, reports and flame graphs (perf stat/record/report/top)");
        perf.Subcommands.Add(StatCommand.Create());
        perf.Subcommands.Add(RecordCommand.Create());
        perf.Subcommands.Add(ReportCommand.Create());
        perf.Subcommands.Add(TopCommand.Create());
        return perf;
    }
}
