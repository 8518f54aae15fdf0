using System.CommandLine;
using Sharptrace.Kernel;

namespace Sharptrace.Cli;

/// <summary>Builds the command tree and turns every user-facing failure into one line on stderr.</summary>
internal static class CliApp
{
    public static int Run(string[] args)
    {
        var root = new RootCommand("sharptrace: Linux dynamic tracing (eBPF, ftrace, kprobes, uprobes, perf events) in one small binary");
        ScriptCommand.Configure(root);
        root.Subcommands.Add(FeaturesCommand.Create());
        root.Subcommands.Add(StraceCommand.Create());
        root.Subcommands.Add(Perf.PerfCommand.Create());
        root.Subcommands.Add(Perf.ProfileCommand.Create());
        root.Subcommands.Add(FtraceCommand.Create());
        root.Subcommands.Add(ProbeCommand.Create());
        try
        {
            // Our handler, not System.CommandLine's: one line, no stack trace, for errors that are the user's or the machine's.
            return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (UserFacing(e))
        {
            return Fail(e.Message);
        }
    }

    /// <summary>Prints "sharptrace: message" on stderr and returns the exit code for failures.</summary>
    public static int Fail(string message)
    {
        Console.Error.WriteLine($"sharptrace: {message}");
        return 1;
    }

    /// <summary>Errors that are the user's or the machine's, not ours: one line, no stack trace.</summary>
    private static bool UserFacing(Exception e) =>
        e is KernelException or TraceFsUnavailableException or TracepointNotFoundException
            or Sharptrace.Bpf.Elf.SymbolNotFoundException or IOException or UnauthorizedAccessException or FormatException or ArgumentException;
}
