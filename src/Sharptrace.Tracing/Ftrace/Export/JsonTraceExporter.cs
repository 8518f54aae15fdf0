using System.Text;
using System.Text.Json;

namespace Sharptrace.Tracing.Ftrace.Export;

/// <summary>
/// Writes a trace as one JSON document: {"events":[{cpu, ts (ns), comm, pid, system, event, fields{…}, text}…], "lost":[…]}.
/// Utf8JsonWriter only: no reflection, AOT-safe.
/// </summary>
public static class JsonTraceExporter
{
    /// <summary>Writes <paramref name="records"/> of <paramref name="file"/> to <paramref name="output"/>.</summary>
    public static void Write(Stream output, TraceFile file, IEnumerable<TraceRecord> records)
    {
        var formatter = new TraceTextFormatter(file.Events, file.Comms, file.Symbols);
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        var text = new StringBuilder();
        json.WriteStartObject();
        json.WriteStartArray("events");
        foreach (var record in records)
        {
            json.WriteStartObject();
            json.WriteNumber("cpu", record.Cpu);
            json.WriteNumber("ts", record.Timestamp);
            if (record.IsLostMarker)
            {
                json.WriteString("event", "lost");
                json.WriteNumber("count", record.MissedEvents);
                json.WriteEndObject();
                continue;
            }
            var span = record.Data.Span;
            json.WriteString("comm", formatter.CommOf(record.Pid));
            json.WriteNumber("pid", record.Pid);
            var type = file.Events.Find(record.Type);
            if (type is null)
            {
                json.WriteNumber("type", record.Type);
                json.WriteEndObject();
                continue;
            }
            json.WriteString("system", type.System);
            json.WriteString("event", type.Name);
            json.WriteStartObject("fields");
            foreach (var field in type.Format.Fields)
            {
                if (field.IsCommon) continue;
                WriteField(json, span, field);
            }
            json.WriteEndObject();
            text.Clear();
            formatter.AppendText(text, type, span);
            json.WriteString("text", text.ToString());
            json.WriteEndObject();
            if (json.BytesPending > 1 << 16) json.Flush();
        }
        json.WriteEndArray();
        json.WriteStartArray("cpu_stats");
        foreach (var (cpu, stats) in file.CpuStats)
        {
            var s = CpuBufferStats.Parse(cpu, stats);
            json.WriteStartObject();
            json.WriteNumber("cpu", cpu);
            json.WriteNumber("read_events", s.ReadEvents);
            json.WriteNumber("overrun", s.Overrun);
            json.WriteNumber("dropped_events", s.DroppedEvents);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteField(Utf8JsonWriter json, ReadOnlySpan<byte> record, TraceFs.EventField field)
    {
        if (field.IsString)
        {
            json.WriteString(field.Name, RecordFields.ReadString(record, field));
            return;
        }
        if (field.ArrayLength is not null || field.IsDataLoc || field.IsRelLoc)
        {
            var size = RecordFields.ElementSizeOf(field);
            var data = RecordFields.Bytes(record, field);
            json.WriteStartArray(field.Name);
            for (var i = 0; size > 0 && (i + 1) * size <= data.Length; i++)
                WriteInteger(json, null, RecordFields.ReadInteger(data, i * size, size, field.IsSigned), field.IsSigned || size < 8);
            json.WriteEndArray();
            return;
        }
        WriteInteger(json, field.Name, RecordFields.ReadInteger(record, field), field.IsSigned || field.Size < 8);
    }

    private static void WriteInteger(Utf8JsonWriter json, string? name, long value, bool signed)
    {
        if (name is not null) json.WritePropertyName(name);
        if (signed) json.WriteNumberValue(value);
        else json.WriteNumberValue((ulong)value);
    }
}
