namespace Sharptrace.Script.Runtime;

/// <summary>-f text (default) or -f json, as bpftrace.</summary>
internal enum OutputFormat { Text, Json }
