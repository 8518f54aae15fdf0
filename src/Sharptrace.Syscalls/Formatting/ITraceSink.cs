using Sharptrace.Syscalls.Decoding;

namespace Sharptrace.Syscalls.Formatting;

/// <summary>
/// Where a backend sends what it saw, in order: calls entering and returning, and lines of their own
/// (signals, exits). The text writer, per-task files (-ff), JSON and the -C summary are sinks.
/// </summary>
internal interface ITraceSink
{
    /// <summary>A record of process <paramref name="tgid"/> arrived (the text writer prefixes pids once two are traced).</summary>
    void NoteTask(int tgid);

    /// <summary>The -t/-tt/-ttt/-r prefix for a call that entered at <paramref name="ns"/> (monotonic).</summary>
    string Stamp(ulong ns, ulong realtimeOffsetNs);

    /// <summary>A call entered; <paramref name="lead"/> goes between the pid prefix and the call.</summary>
    void Enter(SyscallRecord call, string lead);

    /// <summary>A call returned.</summary>
    void Exit(SyscallRecord call);

    /// <summary>A line of its own: <c>+++ exited with 0 +++</c>, <c>--- SIGCHLD {…} ---</c>, lost-record notes.</summary>
    void Note(int tid, string note);

    /// <summary>Whether <paramref name="tid"/> has a call shown as entered that has not returned.</summary>
    bool IsPending(int tid);

    /// <summary>Ends a pending call of a task that is gone: <c>= ?</c>.</summary>
    void Abandon(SyscallRecord call);

    /// <summary>Thread <paramref name="from"/> exec'd and goes on as <paramref name="to"/> (the process id).</summary>
    void Renumber(int from, int to);

    /// <summary>The end: writes what is held, and any summary.</summary>
    void Flush();
}

/// <summary>Builds the sink the options ask for.</summary>
internal static class TraceSinks
{
    public static ITraceSink Create(TextWriter output, StraceOptions options, ICallText text)
    {
        ITraceSink sink = options.Json ? new JsonTraceWriter(output, text)
            : options.PerTaskFiles && options.OutputFile is not null ? new PerTaskTraceWriter(options, text)
            : new TraceWriter(output, options, text);
        return options.SummaryWithLines ? new SummarizingSink(sink, output, options.SummarySort, text) : sink;
    }
}
