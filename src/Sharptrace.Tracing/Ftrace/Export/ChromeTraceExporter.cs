using System.Text;
using System.Text.Json;
using Sharptrace.Tracing.TraceFs;

namespace Sharptrace.Tracing.Ftrace.Export;

/// <summary>
/// Writes a trace as Chrome trace event JSON (what ui.perfetto.dev and chrome://tracing open):
/// sched_switch becomes "running" slices on thread tracks, function_graph entry/exit nested B/E slices,
/// everything else instant events with their fields as args. Times are microseconds.
/// </summary>
public static class ChromeTraceExporter
{
    /// <summary>Writes <paramref name="records"/> of <paramref name="file"/> to <paramref name="output"/>.</summary>
    public static void Write(Stream output, TraceFile file, IEnumerable<TraceRecord> records)
    {
        var formatter = new TraceTextFormatter(file.Events, file.Comms, file.Symbols);
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        var running = new Dictionary<int, (int Pid, ulong Since)>();
        var firstOnCpu = new Dictionary<int, ulong>();
        var named = new HashSet<int>();
        var comms = new Dictionary<int, string>(file.Comms);
        var text = new StringBuilder();
        ulong last = 0;
        json.WriteStartObject();
        json.WriteString("displayTimeUnit", "ns");
        json.WriteStartArray("traceEvents");
        foreach (var record in records)
        {
            last = Math.Max(last, record.Timestamp);
            firstOnCpu.TryAdd(record.Cpu, record.Timestamp);
            if (record.IsLostMarker)
            {
                Instant(json, $"lost events on cpu {record.Cpu}", 0, 0, record.Timestamp, "g");
                json.WriteEndObject();
                continue;
            }
            var span = record.Data.Span;
            var type = file.Events.Find(record.Type);
            if (type is null) continue;
            var pid = record.Pid;
            if (type.Name == "sched_switch" && type.Format.Field("next_pid") is { } nextPid && type.Format.Field("prev_pid") is { } prevPid)
            {
                var next = (int)RecordFields.ReadInteger(span, nextPid);
                if (type.Format.Field("next_comm") is { } nextComm) comms[next] = RecordFields.ReadString(span, nextComm);
                if (type.Format.Field("prev_comm") is { } prevComm) comms[(int)RecordFields.ReadInteger(span, prevPid)] = RecordFields.ReadString(span, prevComm);
                // The switch's prev is who ran, whatever we thought: a task running when the trace
                // began, or one resumed before it got off the CPU, never had a switch-in. It ran
                // since this CPU's previous switch, or its first record.
                var prev = (int)RecordFields.ReadInteger(span, prevPid);
                var since = running.TryGetValue(record.Cpu, out var was) ? was.Since : firstOnCpu[record.Cpu];
                if (prev != 0) Slice(json, prev, since, record.Timestamp, record.Cpu, comms, named);
                running[record.Cpu] = (next, record.Timestamp);
                continue;
            }
            if (type.System == "ftrace" && type.Name is "funcgraph_entry" or "funcgraph_exit" && type.Format.Field("func") is { } func)
            {
                var address = (ulong)RecordFields.ReadInteger(span, func);
                var name = file.Symbols?.Lookup(address) is { } symbol ? symbol.Name : $"0x{address:x}";
                NameThread(json, pid, comms, named);
                json.WriteStartObject();
                json.WriteString("name", name);
                json.WriteString("cat", "function_graph");
                json.WriteString("ph", type.Name == "funcgraph_entry" ? "B" : "E");
                json.WriteNumber("pid", pid);
                json.WriteNumber("tid", pid);
                json.WriteNumber("ts", record.Timestamp / 1000.0);
                json.WriteEndObject();
                continue;
            }
            NameThread(json, pid, comms, named);
            Instant(json, type.Name, pid, pid, record.Timestamp, "t");
            json.WriteString("cat", type.System);
            json.WriteStartObject("args");
            json.WriteNumber("cpu", record.Cpu);
            text.Clear();
            formatter.AppendText(text, type, span);
            json.WriteString("text", text.ToString());
            json.WriteEndObject();
            json.WriteEndObject();
            if (json.BytesPending > 1 << 16) json.Flush();
        }
        // Tasks still running at the end get a slice up to the last timestamp.
        foreach (var (cpu, (pid, since)) in running)
            if (pid != 0) Slice(json, pid, since, last, cpu, comms, named);
        // Names go last, so a task that exec'd shows its latest comm.
        foreach (var pid in named) WriteNames(json, pid, comms);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Instant(Utf8JsonWriter json, string name, int pid, int tid, ulong timestamp, string scope)
    {
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("ph", "i");
        json.WriteString("s", scope);
        json.WriteNumber("pid", pid);
        json.WriteNumber("tid", tid);
        json.WriteNumber("ts", timestamp / 1000.0);
    }

    private static void Slice(Utf8JsonWriter json, int pid, ulong start, ulong end, int cpu, Dictionary<int, string> comms, HashSet<int> named)
    {
        NameThread(json, pid, comms, named);
        json.WriteStartObject();
        json.WriteString("name", "running");
        json.WriteString("cat", "sched");
        json.WriteString("ph", "X");
        json.WriteNumber("pid", pid);
        json.WriteNumber("tid", pid);
        json.WriteNumber("ts", start / 1000.0);
        json.WriteNumber("dur", (end - start) / 1000.0);
        json.WriteStartObject("args");
        json.WriteNumber("cpu", cpu);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void NameThread(Utf8JsonWriter json, int pid, Dictionary<int, string> comms, HashSet<int> named) => named.Add(pid);

    private static void WriteNames(Utf8JsonWriter json, int pid, Dictionary<int, string> comms)
    {
        var name = pid == 0 ? "<idle>" : comms.GetValueOrDefault(pid, $"pid {pid}");
        foreach (var kind in (string[])["process_name", "thread_name"])
        {
            json.WriteStartObject();
            json.WriteString("name", kind);
            json.WriteString("ph", "M");
            json.WriteNumber("pid", pid);
            json.WriteNumber("tid", pid);
            json.WriteStartObject("args");
            json.WriteString("name", $"{name}-{pid}");
            json.WriteEndObject();
            json.WriteEndObject();
        }
    }
}
