using System.CommandLine;
using Sharptrace.Cli.Ftrace;

namespace Sharptrace.Cli;

/// <summary>`sharptrace ftrace`: the kernel's ftrace framework in trace-cmd's spirit (record, report, list, stream, stat, reset, hist).</summary>
internal static class FtraceCommand
{
    public static Command Create()
    {
        var command = new Command("ftrace", "Record and report the kernel's trace events and function tracers through tracefs, in a private instance (like trace-cmd)");
        command.Subcommands.Add(FtraceRecordCommand.Create());
        command.Subcommands.Add(FtraceReportCommand.Create());
        command.Subcommands.Add(FtraceListCommand.Create());
        command.Subcommands.Add(FtraceStreamCommand.Create());
        command.Subcommands.Add(FtraceStatCommand.Create());
        command.Subcommands.Add(FtraceResetCommand.Create());
        command.Subcommands.Add(FtraceHistCommand.Create());
        DeniedAccessAction.Apply(command);
        return command;
    }
}
