namespace Sharptrace.Tracing.Perf;

/// <summary>Shell-style * and ? matching, for event names and --sort filters.</summary>
public static class Glob
{
    /// <summary>True when <paramref name="text"/> matches <paramref name="pattern"/> (* any run, ? any one character).</summary>
    public static bool Matches(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        int p = 0, t = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t])) { p++; t++; }
            else if (p < pattern.Length && pattern[p] == '*') { starP = p++; starT = t; }
            else if (starP >= 0) { p = starP + 1; t = ++starT; }
            else return false;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }
}
