using Sharptrace.Kernel;
using Sharptrace.Syscalls.Tables;

namespace Sharptrace.Syscalls.Filtering;

/// <summary>An -e expression strace would reject, with strace's wording.</summary>
public sealed class TraceExpressionException(string message) : Exception(message);

/// <summary>
/// strace's <c>-e trace=</c> set: comma-separated names, %classes, /regexes, optionally negated
/// with a leading <c>!</c>; <c>all</c> and <c>none</c>.
/// </summary>
public static class TraceExpression
{
    /// <summary>The numbers selected by <paramref name="expression"/> (the part after "trace=").</summary>
    public static IReadOnlySet<int> Parse(string expression, SyscallTable table)
    {
        var negate = expression.StartsWith('!');
        if (negate) expression = expression[1..];
        var selected = new HashSet<int>();
        foreach (var raw in expression.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var item = raw.Trim();
            if (item == "all") { foreach (var (n, _) in table.All) selected.Add(n); continue; }
            if (item == "none") continue;
            if (item.StartsWith('%'))
            {
                var members = SyscallClasses.Of(item[1..]) ?? throw new TraceExpressionException($"invalid system call '{item}'");
                foreach (var (n, name) in table.All) if (members.Contains(name)) selected.Add(n);
                continue;
            }
            if (item.StartsWith('/'))
            {
                PosixRegex regex;
                try { regex = PosixRegex.Compile(item[1..]); }
                catch (ArgumentException e) { throw new TraceExpressionException($"regcomp: {item[1..]}: {e.Message}"); }
                using (regex)
                    foreach (var (n, name) in table.All) if (regex.IsMatch(name)) selected.Add(n);
                continue;
            }
            var any = false;
            foreach (var (n, name) in table.All)
                if (name == item) { selected.Add(n); any = true; }
            if (!any) throw new TraceExpressionException($"invalid system call '{item}'");
        }
        if (!negate) return selected;
        var inverse = new HashSet<int>();
        foreach (var (n, _) in table.All) if (!selected.Contains(n)) inverse.Add(n);
        return inverse;
    }
}
