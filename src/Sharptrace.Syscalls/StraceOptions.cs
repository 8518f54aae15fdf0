using Sharptrace.Syscalls.Decoding;
using Sharptrace.Syscalls.Formatting;

namespace Sharptrace.Syscalls;

/// <summary>How timestamps prefix lines: none, -t, -tt, -ttt.</summary>
public enum TimestampStyle
{
    /// <summary>No timestamp.</summary>
    None,
    /// <summary>-t: HH:MM:SS.</summary>
    Seconds,
    /// <summary>-tt: HH:MM:SS.micros.</summary>
    Microseconds,
    /// <summary>-ttt: seconds since the epoch with micros.</summary>
    Epoch,
}

/// <summary>The strace options the tracer honours (same meaning as strace's).</summary>
public sealed record StraceOptions
{
    /// <summary>-f: follow forks and threads.</summary>
    public bool Follow { get; init; }

    /// <summary>-o FILE (null: stderr).</summary>
    public string? OutputFile { get; init; }

    /// <summary>-e trace=…: the call numbers to show (null: all).</summary>
    public IReadOnlySet<int>? Selected { get; init; }

    /// <summary>-c: count only, print the summary table.</summary>
    public bool CountOnly { get; init; }

    /// <summary>-T: time spent in each call.</summary>
    public bool ShowDuration { get; init; }

    /// <summary>-t / -tt / -ttt.</summary>
    public TimestampStyle Timestamps { get; init; }

    /// <summary>-r: time since the previous line.</summary>
    public bool RelativeTimestamps { get; init; }

    /// <summary>-q: no attach/exit messages (sharptrace prints none of strace's attach chatter anyway).</summary>
    public bool Quiet { get; init; }

    /// <summary>-n: prefix calls with their number.</summary>
    public bool ShowNumbers { get; init; }

    /// <summary>-z / -Z: only successful / only failed calls.</summary>
    public bool? OnlySuccessful { get; init; }

    /// <summary>--json: one JSON object per call.</summary>
    public bool Json { get; init; }

    /// <summary>-s, -x, -v.</summary>
    public DecodeOptions Decode { get; init; } = new();

    /// <summary>-ff with -o FILE: one file per traced task, FILE.TID, without pid prefixes.</summary>
    public bool PerTaskFiles { get; init; }

    /// <summary>-C: print the lines and the -c summary at the end.</summary>
    public bool SummaryWithLines { get; init; }

    /// <summary>-S: how the summary is sorted.</summary>
    public SummarySort SummarySort { get; init; } = SummarySort.Time;

    /// <summary>-w: the summary's time is each call's wall-clock latency (entry to exit).</summary>
    public bool WallClockSummary { get; init; }

    /// <summary>-e signal=…: the signals whose --- lines are shown (null: all).</summary>
    public IReadOnlySet<int>? Signals { get; init; }

    /// <summary>Whether anything printed needs the kernel's clock at entry and exit.</summary>
    public bool NeedsClock => CountOnly || SummaryWithLines || ShowDuration || RelativeTimestamps || Json || Timestamps != TimestampStyle.None;

    /// <summary>Ring buffer size in bytes (a power of two).</summary>
    /// <remarks>
    /// Every byte costs start-up time (the kernel zeroes the pages, and mapping them, twice, and
    /// unmapping them are ours to wait for: 32 MiB cost about 8 ms of a 35 ms run of /usr/bin/true)
    /// and shows in RSS. 4 MiB was the least that lost nothing of dd bs=1 (600,000 calls, one
    /// record each) here; 16 MiB leaves four times that for a loaded machine or longer records.
    /// </remarks>
    public int RingBufferBytes { get; init; } = 16 << 20;
}
