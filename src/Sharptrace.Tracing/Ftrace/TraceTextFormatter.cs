using System.Globalization;
using System.Text;
using Sharptrace.Tracing.Ftrace.PrintFormat;

namespace Sharptrace.Tracing.Ftrace;

/// <summary>
/// Formats records as trace-cmd report lines: "comm-pid [cpu] seconds.micros: event: text", the text
/// from the event's print fmt when we evaluate it, else field=value.
/// </summary>
public sealed class TraceTextFormatter
{
    private readonly EventTypeTable events;
    private readonly IReadOnlyDictionary<int, string> comms;
    private readonly PrintContext context;

    /// <summary>Formats with <paramref name="events"/>, naming pids from <paramref name="comms"/> and addresses from <paramref name="symbols"/>.</summary>
    public TraceTextFormatter(EventTypeTable events, IReadOnlyDictionary<int, string> comms, KernelSymbolTable? symbols)
    {
        this.events = events;
        this.comms = comms;
        context = symbols is null ? PrintContext.Default : new PrintContext(symbols.Lookup);
    }

    /// <summary>The context used for %ps and friends.</summary>
    public PrintContext Context => context;

    /// <summary>The comm of <paramref name="pid"/> ("&lt;idle&gt;" for 0, "&lt;...&gt;" when unknown), as trace-cmd shows it.</summary>
    public string CommOf(int pid) => pid == 0 ? "<idle>" : comms.TryGetValue(pid, out var comm) ? comm : "<...>";

    /// <summary>Appends one line (without newline) for <paramref name="record"/>.</summary>
    public void AppendLine(StringBuilder output, in TraceRecord record)
    {
        if (record.IsLostMarker)
        {
            output.Append("CPU:").Append(record.Cpu.ToString(CultureInfo.InvariantCulture)).Append(" [")
                .Append(record.MissedEvents > 0 ? record.MissedEvents.ToString(CultureInfo.InvariantCulture) : "SOME").Append(" EVENTS DROPPED]");
            return;
        }
        var span = record.Data.Span;
        var pid = record.Pid;
        var comm = CommOf(pid);
        output.Append(' ', Math.Max(0, 16 - comm.Length)).Append(comm).Append('-');
        var pidText = pid.ToString(CultureInfo.InvariantCulture);
        output.Append(pidText).Append(' ', Math.Max(0, 5 - pidText.Length));
        output.Append(" [").Append(record.Cpu.ToString("D3", CultureInfo.InvariantCulture)).Append("] ");
        AppendTimestamp(output, record.Timestamp);
        output.Append(": ");
        var type = events.Find(record.Type);
        if (type is null)
        {
            output.Append("[UNKNOWN EVENT ").Append(record.Type.ToString(CultureInfo.InvariantCulture)).Append(']');
            return;
        }
        var nameStart = output.Length;
        output.Append(type.Name).Append(':');
        var written = output.Length - nameStart;
        output.Append(' ', Math.Max(1, 21 - written));
        AppendText(output, type, span);
    }

    /// <summary>Appends the event's own text (print fmt or field=value).</summary>
    public void AppendText(StringBuilder output, TraceEventType type, ReadOnlySpan<byte> record)
    {
        if (type.Printer is { } printer) printer.Format(output, record, context);
        else RecordFields.AppendFieldsText(output, record, type.Format);
    }

    /// <summary>"seconds.microseconds" of a nanosecond timestamp.</summary>
    public static void AppendTimestamp(StringBuilder output, ulong nanoseconds)
    {
        output.Append((nanoseconds / 1_000_000_000).ToString(CultureInfo.InvariantCulture)).Append('.')
            .Append((nanoseconds / 1000 % 1_000_000).ToString("D6", CultureInfo.InvariantCulture));
    }
}
