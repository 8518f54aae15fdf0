using Sharptrace.Syscalls.Decoding;

namespace Sharptrace.Syscalls.Formatting;

/// <summary>
/// -ff -o FILE: each traced task writes to FILE.TID, opened when the task is first seen, without
/// pid prefixes; as in strace, a task's call is never cut by another task's line.
/// </summary>
internal sealed class PerTaskTraceWriter(StraceOptions options, ICallText text) : ITraceSink
{
    private readonly Dictionary<int, (StreamWriter File, TraceWriter Writer)> tasks = [];
    private readonly StraceOptions taskOptions = options with { Follow = false };

    /// <summary>Timestamps (-r's previous line) are one sequence across all files, as strace keeps them.</summary>
    private readonly TraceWriter stamps = new(TextWriter.Null, options, text);

    private TraceWriter For(int tid)
    {
        if (tasks.TryGetValue(tid, out var task)) return task.Writer;
        var file = new StreamWriter($"{options.OutputFile}.{tid}", append: false, new System.Text.UTF8Encoding(false), 1 << 16);
        var writer = new TraceWriter(file, taskOptions, text);
        tasks[tid] = (file, writer);
        return writer;
    }

    public void NoteTask(int tgid) { }

    public string Stamp(ulong ns, ulong realtimeOffsetNs) => stamps.Stamp(ns, realtimeOffsetNs);

    public void Enter(SyscallRecord call, string lead) => For(call.Tid).Enter(call, lead);

    public void Exit(SyscallRecord call) => For(call.Tid).Exit(call);

    /// <summary>A note for no task (tid 0: records lost) goes to stderr, as there is no file it belongs to.</summary>
    public void Note(int tid, string note)
    {
        if (tid <= 0) Console.Error.WriteLine(note);
        else For(tid).Note(tid, note);
    }

    public bool IsPending(int tid) => tasks.TryGetValue(tid, out var task) && task.Writer.IsPending(tid);

    public void Renumber(int from, int to)
    {
        if (tasks.TryGetValue(from, out var task)) task.Writer.Renumber(from, to);
    }

    public void Abandon(SyscallRecord call)
    {
        if (tasks.TryGetValue(call.Tid, out var task)) task.Writer.Abandon(call);
    }

    /// <summary>The end: every file is flushed and closed.</summary>
    public void Flush()
    {
        foreach (var (file, writer) in tasks.Values)
        {
            writer.Flush();
            file.Dispose();
        }
        tasks.Clear();
    }
}
