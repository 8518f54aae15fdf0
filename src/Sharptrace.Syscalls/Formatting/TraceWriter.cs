using System.Text;
using Sharptrace.Syscalls.Decoding;

namespace Sharptrace.Syscalls.Formatting;

/// <summary>
/// Writes strace's lines: pid prefix, timestamps, the call padded to column 40 before " = ",
/// and, when another task's line comes in between, <c>&lt;unfinished ...&gt;</c> and
/// <c>&lt;... name resumed&gt;</c>. A call that entered is held, not formatted, until its exit or
/// another line shows which of the two shapes it takes.
/// </summary>
internal sealed class TraceWriter(TextWriter output, StraceOptions options, ICallText text) : ITraceSink
{
    private SyscallRecord? open;
    private string openLead = "";
    private readonly StringBuilder line = new(256);
    private ulong previousNs;
    private readonly HashSet<int> unfinished = [];
    private readonly HashSet<int> seenTgids = [];
    private int prefixTid = -1;
    private string prefixText = "";
    private bool prefixMany;

    /// <summary>Whether pids prefix lines: always with -f -o FILE, with "[pid N]" on stderr once two tasks are traced.</summary>
    private string Prefix(int tid)
    {
        if (!options.Follow) return "";
        var many = options.OutputFile is null && seenTgids.Count > 1;
        if (options.OutputFile is null && !many) return "";
        if (tid == prefixTid && many == prefixMany) return prefixText;
        prefixTid = tid;
        prefixMany = many;
        return prefixText = options.OutputFile is not null ? $"{tid,-5} " : $"[pid {tid,5}] ";
    }

    public void NoteTask(int tgid)
    {
        if (seenTgids.Count < 2) seenTgids.Add(tgid);
    }

    public string Stamp(ulong ns, ulong realtimeOffsetNs)
    {
        if (!options.RelativeTimestamps && options.Timestamps == TimestampStyle.None) return "";
        var text = "";
        if (options.RelativeTimestamps)
        {
            var delta = previousNs == 0 ? 0 : ns - previousNs;
            previousNs = ns;
            text += $"{delta / 1_000_000_000,6}.{delta / 1000 % 1_000_000:D6} ";
        }
        if (options.Timestamps == TimestampStyle.None) return text;
        var real = ns + realtimeOffsetNs;
        var seconds = (long)(real / 1_000_000_000);
        var micros = real / 1000 % 1_000_000;
        var time = DateTimeOffset.FromUnixTimeSeconds(seconds).ToLocalTime();
        return text + options.Timestamps switch
        {
            TimestampStyle.Seconds => $"{time:HH:mm:ss} ",
            TimestampStyle.Microseconds => $"{time:HH:mm:ss}.{micros:D6} ",
            _ => $"{seconds}.{micros:D6} ",
        };
    }

    /// <summary>A call entered; <paramref name="lead"/> is what goes between the pid prefix and the call (timestamps, -n).</summary>
    public void Enter(SyscallRecord call, string lead)
    {
        CloseOpenLine();
        open = call;
        openLead = lead;
    }

    /// <summary>A call returned: prints its whole line, or the resumed part.</summary>
    public void Exit(SyscallRecord call)
    {
        var tid = call.Tid;
        if (open is not null && open.Tid == tid)
        {
            line.Append(Prefix(tid)).Append(openLead);
            text.Whole(line, call);
            open = null;
        }
        else
        {
            // An exit whose entry was never printed (it came before tracing began) prints nothing.
            if (!unfinished.Remove(tid)) return;
            CloseOpenLine();
            line.Append(Prefix(tid)).Append(text.ResumedLead(call)).Append("<... ").Append(text.Name(call)).Append(" resumed>").Append(text.Rest(call));
        }
        Finish(text.Result(call));
    }

    private void Finish(string result)
    {
        if (line.Length < 40) line.Append(' ', 39 - line.Length).Append(" = ");
        else line.Append(" = ");
        line.Append(result).Append('\n');
        output.Write(line);
        line.Clear();
    }

    /// <summary>A line of its own (+++ exited with 0 +++, --- SIGCHLD … ---, lost-record notes).</summary>
    public void Note(int tid, string note)
    {
        CloseOpenLine();
        output.Write(Prefix(tid));
        output.Write(note);
        output.Write('\n');
    }

    /// <summary>Whether <paramref name="tid"/> has a call whose entry was printed (or is held) and which has not returned.</summary>
    public bool IsPending(int tid) => open?.Tid == tid || unfinished.Contains(tid);

    /// <summary>Ends a pending call of a task that is gone (exit_group, a killed task): <c>= ?</c>.</summary>
    public void Abandon(SyscallRecord call)
    {
        var tid = call.Tid;
        if (open is not null && open.Tid == tid)
        {
            line.Append(Prefix(tid)).Append(openLead).Append(text.Entry(call)).Append(')');
            open = null;
        }
        else if (unfinished.Remove(tid))
        {
            CloseOpenLine();
            line.Append(Prefix(tid)).Append(text.ResumedLead(call)).Append("<... ").Append(text.Name(call)).Append(" resumed>)");
        }
        else
        {
            return;
        }
        Finish("?");
    }

    /// <summary>Thread <paramref name="from"/> became <paramref name="to"/> (a non-leader's execve): its held call goes on under the new id.</summary>
    public void Renumber(int from, int to)
    {
        if (open?.Tid == from) CloseOpenLine();
        if (unfinished.Remove(from)) unfinished.Add(to);
    }

    private void CloseOpenLine()
    {
        if (open is null) return;
        line.Append(Prefix(open.Tid)).Append(openLead).Append(text.Entry(open)).Append(" <unfinished ...>\n");
        output.Write(line);
        line.Clear();
        unfinished.Add(open.Tid);
        open = null;
    }

    public void Flush()
    {
        CloseOpenLine();
        output.Flush();
    }
}
