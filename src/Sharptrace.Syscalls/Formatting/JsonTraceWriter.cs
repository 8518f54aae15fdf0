using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Sharptrace.Kernel;
using Sharptrace.Syscalls.Decoding;

namespace Sharptrace.Syscalls.Formatting;

/// <summary>
/// --json: one object per line for each call when it returns,
/// <c>{"pid":…,"time":…,"syscall":"openat","args":["AT_FDCWD","\"/etc/passwd\"","O_RDONLY"],"return":3,"errno":null,"duration":…}</c>,
/// the arguments as strace would print them; signals and exits are objects of their own.
/// Written with Utf8JsonWriter (no reflection, AOT-safe).
/// </summary>
internal sealed class JsonTraceWriter(TextWriter output, ICallText text) : ITraceSink
{
    private readonly ArrayBufferWriter<byte> buffer = new(512);
    private readonly HashSet<int> pending = [];

    /// <summary>Quotes inside the strace-style argument texts stay readable (\" rather than \u0022).</summary>
    private static readonly JsonWriterOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Wall clock minus the monotonic clock the kernel stamps records with.</summary>
    private readonly double realtimeOffsetSeconds = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1e3 - Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;

    public void NoteTask(int tgid) { }

    public string Stamp(ulong ns, ulong realtimeOffsetNs) => "";

    public void Enter(SyscallRecord call, string lead) => pending.Add(call.Tid);

    public void Exit(SyscallRecord call)
    {
        pending.Remove(call.Tid);
        Write(call);
    }

    public void Abandon(SyscallRecord call)
    {
        if (pending.Remove(call.Tid)) Write(call);
    }

    public bool IsPending(int tid) => pending.Contains(tid);

    public void Renumber(int from, int to)
    {
        if (pending.Remove(from)) pending.Add(to);
    }

    private void Write(SyscallRecord call)
    {
        using (var json = new Utf8JsonWriter(buffer, Relaxed))
        {
            json.WriteStartObject();
            json.WriteNumber("pid", call.Tid);
            json.WriteNumber("time", Math.Round(call.EnterNs / 1e9 + realtimeOffsetSeconds, 6));
            json.WriteString("syscall", text.Name(call));
            json.WriteStartArray("args");
            foreach (var arg in text.Arguments(call)) json.WriteStringValue(arg);
            json.WriteEndArray();
            if (!call.Returned)
            {
                json.WriteNull("return");
                json.WriteNull("errno");
                json.WriteNull("duration");
                json.WriteString("result", "?");
            }
            else
            {
                var failed = call.Return is < 0 and >= -4095;
                json.WriteNumber("return", failed ? -1 : call.Return);
                if (failed)
                {
                    var errno = (Errno)(int)-call.Return;
                    json.WriteString("errno", Enum.IsDefined(errno) ? errno.ToString() : ((int)errno).ToString());
                }
                else
                {
                    json.WriteNull("errno");
                }
                json.WriteNumber("duration", (call.ExitNs - call.EnterNs) / 1e9);
                // The return as strace prints it (an address in hex, -y's path); also keeps -y's table current.
                json.WriteString("result", text.Result(call));
            }
            json.WriteEndObject();
        }
        Line();
    }

    /// <summary>+++ exited with N +++, +++ killed by SIG +++, --- SIG {…} --- as objects; anything else as a note.</summary>
    public void Note(int tid, string note)
    {
        using (var json = new Utf8JsonWriter(buffer, Relaxed))
        {
            json.WriteStartObject();
            json.WriteNumber("pid", tid);
            if (note.StartsWith("+++ exited with ", StringComparison.Ordinal) && int.TryParse(note.AsSpan(16, note.Length - 20), out var code))
                json.WriteNumber("exited", code);
            else if (note.StartsWith("+++ killed by ", StringComparison.Ordinal))
                json.WriteString("killed", note[14..^4]);
            else if (note.StartsWith("--- SIG", StringComparison.Ordinal))
            {
                var space = note.IndexOf(' ', 4);
                json.WriteString("signal", note[4..space]);
                json.WriteString("siginfo", note[(space + 1)..^4]);
            }
            else
                json.WriteString("note", note);
            json.WriteEndObject();
        }
        Line();
    }

    private void Line()
    {
        output.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        output.Write('\n');
        buffer.Clear();
    }

    public void Flush() => output.Flush();
}
