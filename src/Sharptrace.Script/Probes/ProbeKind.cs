namespace Sharptrace.Script.Probes;

/// <summary>The probe types of the language.</summary>
internal enum ProbeKind { Begin, End, Tracepoint, RawTracepoint, Kprobe, Kretprobe, Uprobe, Uretprobe, Usdt, Interval, Profile, Software, Hardware, Kfunc, Kretfunc }
