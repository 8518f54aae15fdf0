using System.Text;

namespace Sharptrace.Syscalls.Formatting;

/// <summary>
/// Writes strace's lines: pid prefix, timestamps, the call padded to column 40 before " = ",
/// and, when another task's line comes in between, <c>&lt;unfinished ...&gt;</c> and
/// <c>&lt;... name resumed&gt;</c>.
/// </summary>
internal sealed class TraceWriter(TextWriter output, StraceOptions options)
{
    private int openTid = -1;
    private readonly StringBuilder line = new(256);
    private ulong previousNs;
    private readonly HashSet<int> unfinished = [];
    private readonly HashSet<int> seenTgids = [];

    /// <summary>Whether pids prefix lines: always with -f -o FILE, with "[pid N]" on stderr once two tasks are traced.</summary>
    private string Prefix(int tid)
    {
        if (options.Follow && options.OutputFile is not null) return $"{tid,-5} ";
        if (options.Follow && seenTgids.Count > 1) return $"[pid {tid,5}] ";
        return "";
    }

    public void NoteTask(int tgid) => seenTgids.Add(tgid);

    private string Stamp(ulong ns, ulong realtimeOffsetNs)
    {
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

    /// <summary>A call entered: its entry part opens a line.</summary>
    public void Enter(int tid, string entryText, ulong ns, ulong realtimeOffsetNs)
    {
        CloseOpenLine();
        line.Append(Prefix(tid)).Append(Stamp(ns, realtimeOffsetNs)).Append(entryText);
        openTid = tid;
    }

    /// <summary>A call returned: completes its line, or prints the resumed part.</summary>
    public void Exit(int tid, string name, string exitText, string returnText, string suffix)
    {
        if (openTid != tid)
        {
            // An exit whose entry was never printed (it came before tracing began) prints nothing.
            if (!unfinished.Remove(tid)) return;
            CloseOpenLine();
            line.Append(Prefix(tid)).Append("<... ").Append(name).Append(" resumed>");
        }
        line.Append(exitText);
        if (line.Length < 40) line.Append(' ', 39 - line.Length).Append(" = ");
        else line.Append(" = ");
        line.Append(returnText).Append(suffix);
        output.Write(line.Append('\n'));
        line.Clear();
        openTid = -1;
    }

    /// <summary>A line of its own (+++ exited with 0 +++, --- SIGCHLD … ---, lost-record notes).</summary>
    public void Note(int tid, string text)
    {
        CloseOpenLine();
        output.Write(Prefix(tid));
        output.Write(text);
        output.Write('\n');
    }

    /// <summary>Whether <paramref name="tid"/> has a call whose entry was printed and which has not returned.</summary>
    public bool IsPending(int tid) => openTid == tid || unfinished.Contains(tid);

    /// <summary>Ends a pending call of a task that is gone (exit_group, a killed task): <c>= ?</c>.</summary>
    public void Abandon(int tid, string name)
    {
        if (openTid == tid) { Exit(tid, name, ")", "?", ""); return; }
        if (unfinished.Contains(tid)) Exit(tid, name, ")", "?", "");
    }

    private void CloseOpenLine()
    {
        if (openTid < 0) return;
        output.Write(line.Append(" <unfinished ...>\n"));
        line.Clear();
        unfinished.Add(openTid);
        openTid = -1;
    }

    public void Flush()
    {
        CloseOpenLine();
        output.Flush();
    }
}
