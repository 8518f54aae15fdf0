using System.Globalization;
using System.Text;
using Sharptrace.Tracing.Symbols;

namespace Sharptrace.Tracing.Perf;

/// <summary>
/// The folded-stack format that flamegraph.pl, speedscope and inferno read: one line per distinct
/// stack, "comm;root;…;leaf count", kernel frames marked "_[k]" and JIT frames "_[j]" as
/// stackcollapse-perf does, so other tools colour them too.
/// </summary>
public static class FoldedStacks
{
    /// <summary>The folded lines, sorted, weighted by sample count.</summary>
    public static string Render(Profile profile)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var line = new StringBuilder();
        foreach (var sample in profile.Samples)
        {
            line.Clear().Append(sample.Comm);
            for (var i = sample.Frames.Length - 1; i >= 0; i--) line.Append(';').Append(FrameName(sample.Frames[i]));
            var key = line.ToString();
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        var text = new StringBuilder();
        foreach (var (stack, count) in counts.OrderBy(c => c.Key, StringComparer.Ordinal))
            text.Append(stack).Append(' ').Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        return text.ToString();
    }

    /// <summary>A frame as folded output names it (semicolons would split a frame, so they become colons).</summary>
    public static string FrameName(ResolvedSymbol frame)
    {
        var name = (frame.Name ?? (frame.Module == "[unknown]" ? "[unknown]" : $"[{frame.ShortModule}]")).Replace(';', ':');
        return frame.Kind switch
        {
            SymbolKind.Kernel => name + "_[k]",
            SymbolKind.Jit => name + "_[j]",
            _ => name,
        };
    }
}
