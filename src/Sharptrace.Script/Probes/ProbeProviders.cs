using Sharptrace.Script.Diagnostics;
using Sharptrace.Script.Syntax.Ast;

namespace Sharptrace.Script.Probes;

/// <summary>The table of probe providers, looked up by the first part of an attach point.</summary>
internal static class ProbeProviders
{
    public static readonly IReadOnlyList<IProbeProvider> All =
    [
        new BeginEndProvider(), new TracepointProvider(), new RawTracepointProvider(), new KprobeProvider(false), new KprobeProvider(true),
        new UprobeProvider(false), new UprobeProvider(true), new UsdtProvider(), new IntervalProvider(), new ProfileProvider(), new SoftwareProvider(), new HardwareProvider(),
        new KfuncProvider(false), new KfuncProvider(true),
    ];

    public static IProbeProvider For(AttachPointNode node, out string[] parts)
    {
        parts = node.Text.Split(':');
        var name = parts[0];
        foreach (var provider in All)
            if (provider.Names.Contains(name)) return provider;
        throw new ScriptException(new Diagnostic(node.Span, $"invalid probe type '{name}': expected BEGIN, END, tracepoint, rawtracepoint, kprobe, kretprobe, uprobe, uretprobe, usdt, interval, profile, software, hardware, kfunc or kretfunc"));
    }

    /// <summary>
    /// The concrete probes <paramref name="node"/> stands for; with a process (-p PID, else -1) usdt
    /// and uprobe probes are looked up in that process's program and libraries, as bpftrace does.
    /// </summary>
    public static IEnumerable<ResolvedProbe> Resolve(AttachPointNode node, int pid = -1)
    {
        var provider = For(node, out var parts);
        return (pid > 0 ? provider : null) switch
        {
            UsdtProvider usdt => usdt.ResolveInProcess(node, parts, pid),
            UprobeProvider uprobe => uprobe.ResolveInProcess(node, parts, pid),
            _ => provider.Resolve(node, parts),
        };
    }

    public static ScriptException Error(AttachPointNode node, string message) => new(new Diagnostic(node.Span, message));

    /// <summary>The function of PROVIDER:FUNCTION or PROVIDER:MODULE:FUNCTION (kprobe, kfunc: the module is not looked up).</summary>
    public static string KernelFunctionPart(AttachPointNode node, string[] parts, string example)
    {
        var target = parts.Length switch { 2 => parts[1], 3 => parts[2], _ => "" };
        return target.Length > 0 ? target : throw Error(node, $"{parts[0]} probes take a kernel function: {parts[0]}:{example}");
    }

    /// <summary>Shell-style '*' and '?' matching, as bpftrace's wildcards.</summary>
    public static bool Matches(string pattern, string text) => MatchAt(pattern, 0, text, 0);

    private static bool MatchAt(string p, int pi, string t, int ti)
    {
        while (pi < p.Length)
        {
            if (p[pi] == '*')
            {
                for (var k = ti; k <= t.Length; k++)
                    if (MatchAt(p, pi + 1, t, k)) return true;
                return false;
            }
            if (ti >= t.Length || (p[pi] != '?' && p[pi] != t[ti])) return false;
            pi++;
            ti++;
        }
        return ti == t.Length;
    }

    public static bool HasWildcard(string text) => text.Contains('*') || text.Contains('?');

    /// <summary>Parses "99", "1_000" for rates and counts.</summary>
    public static ulong ParseNumber(AttachPointNode node, string text, string what)
    {
        if (ulong.TryParse(text.Replace("_", ""), out var value) && value > 0) return value;
        throw Error(node, $"invalid {what} '{text}': expected a positive integer");
    }
}
