using Sharptrace.Syscalls.Decoding;

namespace Sharptrace.Syscalls.Formatting;

/// <summary>
/// -C: the lines as usual, and at the end strace's -c table counted from the calls seen (in user
/// space, as -C needs every record anyway); the time is each call's latency from entry to exit.
/// </summary>
internal sealed class SummarizingSink(ITraceSink inner, TextWriter output, SummarySort sort, ICallText text) : ITraceSink
{
    private readonly Dictionary<int, (string Name, long Calls, long Errors, ulong Ns)> rows = [];

    public void Exit(SyscallRecord call)
    {
        Count(call);
        inner.Exit(call);
    }

    /// <summary>Counts a call that returned, whether or not its line is shown.</summary>
    public void Count(SyscallRecord call)
    {
        if (!call.Returned) return;
        var row = rows.TryGetValue(call.Number, out var r) ? r : (text.Name(call), 0L, 0L, 0UL);
        var failed = call.Return is < 0 and >= -4095;
        rows[call.Number] = (row.Item1, row.Item2 + 1, row.Item3 + (failed ? 1 : 0), row.Item4 + (call.ExitNs - call.EnterNs));
    }

    public void Flush()
    {
        inner.Flush();
        output.Write(CallSummary.Format(rows.Select(kv => new CallCount(kv.Value.Name, kv.Value.Calls, kv.Value.Errors, kv.Value.Ns, kv.Key)), sort));
        output.Flush();
    }

    public void NoteTask(int tgid) => inner.NoteTask(tgid);

    public string Stamp(ulong ns, ulong realtimeOffsetNs) => inner.Stamp(ns, realtimeOffsetNs);

    public void Enter(SyscallRecord call, string lead) => inner.Enter(call, lead);

    public void Note(int tid, string note) => inner.Note(tid, note);

    public bool IsPending(int tid) => inner.IsPending(tid);

    public void Abandon(SyscallRecord call) => inner.Abandon(call);

    public void Renumber(int from, int to) => inner.Renumber(from, to);
}
