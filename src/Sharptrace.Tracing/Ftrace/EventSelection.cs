namespace Sharptrace.Tracing.Ftrace;

/// <summary>Events to enable, as the user names them: <c>sched:sched_switch</c>, <c>sched</c>, <c>syscalls:sys_enter_*</c>; with an optional filter.</summary>
public sealed record EventSelection(string SystemPattern, string EventPattern, string? Filter = null)
{
    /// <summary>Parses "system:event", "system/event", "system" (all its events) or "event" (any system).</summary>
    public static EventSelection Parse(string text, string? filter = null)
    {
        var separator = text.IndexOfAny([':', '/']);
        if (separator < 0)
            return text == "all" ? new EventSelection("*", "*", filter) : new EventSelection(text, "*", filter) { BareName = text };
        return new EventSelection(text[..separator], text[(separator + 1)..], filter);
    }

    /// <summary>A name without a system: a system name, or else an event of any system.</summary>
    public string? BareName { get; init; }

    /// <summary>The (system, event) pairs of tracefs this selection names.</summary>
    public List<(string System, string Event)> Expand(string tracefsRoot)
    {
        var eventsRoot = Path.Combine(tracefsRoot, "events");
        var found = new List<(string, string)>();
        foreach (var systemPath in Directory.EnumerateDirectories(eventsRoot).Order(StringComparer.Ordinal))
        {
            var system = Path.GetFileName(systemPath);
            if (!Glob.Matches(SystemPattern, system)) continue;
            foreach (var eventPath in Directory.EnumerateDirectories(systemPath).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(eventPath);
                if (Glob.Matches(EventPattern, name) && File.Exists(Path.Combine(eventPath, "enable"))) found.Add((system, name));
            }
        }
        if (found.Count == 0 && BareName is not null)
            return new EventSelection("*", BareName, Filter).Expand(tracefsRoot);
        return found;
    }

    /// <inheritdoc />
    public override string ToString() => BareName ?? $"{SystemPattern}:{EventPattern}";
}

/// <summary>Shell-style globs (* ? [abc]) as tracefs and trace-cmd accept them.</summary>
public static class Glob
{
    /// <summary>Whether <paramref name="text"/> matches <paramref name="pattern"/> entirely.</summary>
    public static bool Matches(string pattern, string text) => Match(pattern, 0, text, 0);

    private static bool Match(string p, int i, string t, int j)
    {
        while (i < p.Length)
        {
            switch (p[i])
            {
                case '*':
                    for (var k = j; k <= t.Length; k++)
                        if (Match(p, i + 1, t, k)) return true;
                    return false;
                case '?':
                    if (j >= t.Length) return false;
                    break;
                case '[':
                    {
                        var close = p.IndexOf(']', i + 1);
                        if (close < 0 || j >= t.Length) return close < 0 && j < t.Length && t[j] == '[' && Match(p, i + 1, t, j + 1);
                        if (!p.AsSpan(i + 1, close - i - 1).Contains(t[j])) return false;
                        i = close;
                        break;
                    }
                default:
                    if (j >= t.Length || p[i] != t[j]) return false;
                    break;
            }
            i++;
            j++;
        }
        return j == t.Length;
    }
}
