using System.CommandLine;
using System.CommandLine.Invocation;
using Sharptrace.Kernel;
using Sharptrace.Tracing.TraceFs;

namespace Sharptrace.Cli.Ftrace;

/// <summary>
/// Wraps a command's action so that a denied open (an output file in a folder we may not write, a
/// tracefs file) is one "permission denied: PATH" line. The exception's own message is no use to a
/// user in this build: with resource strings trimmed (NativeAOT) it reads
/// "UnauthorizedAccess_IODenied_Path, PATH".
/// </summary>
internal sealed class DeniedAccessAction(SynchronousCommandLineAction inner) : SynchronousCommandLineAction
{
    /// <summary>Wraps the actions of <paramref name="command"/> and of its subcommands.</summary>
    public static void Apply(Command command)
    {
        if (command.Action is SynchronousCommandLineAction action) command.Action = new DeniedAccessAction(action);
        foreach (var sub in command.Subcommands) Apply(sub);
    }

    public override int Invoke(ParseResult parseResult)
    {
        try
        {
            return inner.Invoke(parseResult);
        }
        catch (UnauthorizedAccessException e)
        {
            return CliApp.Fail(Describe(e));
        }
    }

    /// <summary>"permission denied: PATH", the path taken from either form of the runtime's message.</summary>
    internal static string Describe(UnauthorizedAccessException e)
    {
        var message = e.Message;
        var path = QuotedPath(message) is { } quoted ? quoted
            : message.StartsWith("UnauthorizedAccess_", StringComparison.Ordinal) && message.IndexOf(", ", StringComparison.Ordinal) is > 0 and var comma ? message[(comma + 2)..]
            : null;
        if (path is null) return $"permission denied: {message}";
        var root = TraceFs.FindMounted();
        if (root is null || !path.StartsWith(root, StringComparison.Ordinal)) return $"permission denied: {path}";
        // As root, a refused tracefs file is the kernel's choice (a tracer disabled at boot, lockdown), not a missing privilege.
        return Syscall.IsRoot && Capabilities.Has(Capability.SysAdmin)
            ? $"the kernel refuses to open {path} even to root: that part of ftrace is disabled on this kernel (see dmesg; lockdown or a tracer turned off at boot)"
            : TraceFsAccess.DeniedMessage(root) + $" (opening {path})";
    }

    /// <summary>The first '/…' in <paramref name="message"/>, without its quotes.</summary>
    private static string? QuotedPath(string message)
    {
        var start = message.IndexOf("'/", StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf('\'', start + 1);
        return end < 0 ? null : message[(start + 1)..end];
    }
}
