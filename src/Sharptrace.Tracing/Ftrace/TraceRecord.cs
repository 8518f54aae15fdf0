namespace Sharptrace.Tracing.Ftrace;

/// <summary>A record of a trace in time order: its CPU, absolute timestamp and payload in the file's bytes; or a lost-events marker.</summary>
/// <param name="Cpu">The CPU whose buffer held it.</param>
/// <param name="Timestamp">Absolute timestamp (trace clock units).</param>
/// <param name="Data">The record's bytes (common_type first); empty for a lost-events marker.</param>
/// <param name="MissedEvents">For a lost-events marker: how many were lost before this point (-1: an unknown number); else 0.</param>
public readonly record struct TraceRecord(int Cpu, ulong Timestamp, ReadOnlyMemory<byte> Data, long MissedEvents = 0)
{
    /// <summary>Whether this marks lost events rather than carrying a record.</summary>
    public bool IsLostMarker => MissedEvents != 0;

    /// <summary>The event id.</summary>
    public int Type => Data.Length >= 2 ? Data.Span[0] | Data.Span[1] << 8 : -1;

    /// <summary>The pid of the task that emitted the record (common_pid).</summary>
    public int Pid => Data.Length >= 8 ? BitConverter.ToInt32(Data.Span[4..8]) : -1;
}
