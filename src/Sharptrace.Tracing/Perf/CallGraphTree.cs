using System.Globalization;
using System.Text;

namespace Sharptrace.Tracing.Perf;

/// <summary>
/// The call-graph tree perf report --stdio prints under each entry (-g graph mode): the chains of
/// the entry's samples merged into a tree, root first (caller order) or leaf first (callee order),
/// straight runs printed one frame a line and each branch as "|--xx.xx%--frame" with percentages
/// of the whole profile, branches under a threshold (perf's 0.5%) left out.
/// </summary>
public sealed class CallGraphTree
{
    private const string Indent = "            ";
    private const string Column = "          ";
    private readonly Node root = new("");
    private readonly double total;
    private readonly double threshold;

    /// <param name="total">The period of the whole profile (percentages are of it, as perf's default).</param>
    /// <param name="thresholdPercent">Branches below this share are not shown.</param>
    public CallGraphTree(double total, double thresholdPercent = 0.5)
    {
        this.total = Math.Max(1, total);
        threshold = thresholdPercent;
    }

    /// <summary>Adds one chain, in the order it is to be printed, weighted by its period.</summary>
    public void Add(IEnumerable<string> frames, ulong period)
    {
        var node = root;
        node.Period += period;
        foreach (var frame in frames)
        {
            node = node.Child(frame);
            node.Period += period;
        }
    }

    /// <summary>Appends the tree (nothing when no chain went anywhere), followed by a blank line.</summary>
    public void AppendTo(StringBuilder text)
    {
        if (root.Children.Count == 0) return;
        if (IsStraight(root))
        {
            // One path from the top: perf opens it with "---" and continues it one frame a line.
            text.AppendLine(Indent + "|");
            var node = root.Children[0];
            text.AppendLine(Indent + "---" + node.Name);
            var prefix = Indent + "   ";
            while (IsStraight(node))
            {
                node = node.Children[0];
                text.AppendLine(prefix + node.Name);
            }
            AppendBranches(text, node, prefix);
        }
        else AppendBranches(text, root, Indent);
        text.AppendLine();
    }

    // A node continues straight when all of it goes on to one child (no samples end in it).
    private static bool IsStraight(Node node) => node.Children.Count == 1 && node.Children[0].Period == node.Period;

    private void AppendBranches(StringBuilder text, Node node, string prefix)
    {
        var shown = node.Children.Where(c => 100 * c.Period / total >= threshold)
            .OrderByDescending(c => c.Period).ThenBy(c => c.Name, StringComparer.Ordinal).ToList();
        if (shown.Count == 0) return;
        text.AppendLine(prefix + "|" + Column);
        for (var i = 0; i < shown.Count; i++)
        {
            var last = i == shown.Count - 1;
            var child = shown[i];
            var percent = (100 * child.Period / total).ToString("F2", CultureInfo.InvariantCulture);
            text.AppendLine(prefix + (last ? " " : "|") + $"--{percent}%--" + child.Name);
            var inner = prefix + (last ? " " : "|") + Column;
            var run = child;
            while (IsStraight(run))
            {
                run = run.Children[0];
                text.AppendLine(inner + run.Name);
            }
            AppendBranches(text, run, inner);
            if (!last) text.AppendLine(prefix + "|" + Column);
        }
    }

    private sealed class Node(string name)
    {
        private Dictionary<string, Node>? byName;

        public string Name { get; } = name;

        public ulong Period { get; set; }

        public List<Node> Children { get; } = [];

        public Node Child(string name)
        {
            byName ??= new(StringComparer.Ordinal);
            if (!byName.TryGetValue(name, out var child))
            {
                byName[name] = child = new Node(name);
                Children.Add(child);
            }
            return child;
        }
    }
}
