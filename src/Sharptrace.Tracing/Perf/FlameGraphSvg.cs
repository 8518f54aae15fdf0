using System.Globalization;
using System.Text;
using Sharptrace.Tracing.Symbols;

namespace Sharptrace.Tracing.Perf;

/// <summary>
/// Our own flame graph renderer: one self-contained SVG (no network, no external script) with
/// frames coloured by kind (kernel orange, user red-yellow, JIT green, unknown grey), tooltips,
/// click-to-zoom, Ctrl-F/"Search" highlighting with the matched share, and "Reset Zoom".
/// Root at the bottom, callers below callees, widths proportional to samples.
/// </summary>
public static class FlameGraphSvg
{
    private const int Width = 1200;
    private const int FrameHeight = 16;
    private const int Pad = 10;
    private const int TopMargin = 40;
    private const int BottomMargin = 34;
    private const double MinFrameWidth = 0.1; // pixels: thinner frames are dropped, as flamegraph.pl does

    private sealed class Node(string name, SymbolKind kind)
    {
        public string Name { get; } = name;
        public SymbolKind Kind { get; } = kind;
        public long Value;
        public Dictionary<(string, SymbolKind), Node> Children { get; } = [];
    }

    /// <summary>The SVG text for <paramref name="profile"/>.</summary>
    public static string Render(Profile profile, string title = "Flame Graph")
    {
        var root = new Node("all", SymbolKind.Unknown);
        foreach (var sample in profile.Samples)
        {
            root.Value++;
            var node = Child(root, sample.Comm, SymbolKind.User);
            node.Value++;
            for (var i = sample.Frames.Length - 1; i >= 0; i--)
            {
                var frame = sample.Frames[i];
                node = Child(node, frame.Name ?? $"[{frame.ShortModule}]", frame.Kind);
                node.Value++;
            }
        }
        var depth = Depth(root);
        var height = TopMargin + BottomMargin + depth * FrameHeight;
        var svg = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        svg.Append(c, $$"""
            <?xml version="1.0" standalone="no"?>
            <svg version="1.1" width="{{Width}}" height="{{height}}" viewBox="0 0 {{Width}} {{height}}" xmlns="http://www.w3.org/2000/svg" onload="init(evt)">
            <style>
            text { font-family: Verdana, sans-serif; font-size: 12px; fill: #000; }
            #title { font-size: 17px; text-anchor: middle; }
            #search, #reset, #matched { cursor: pointer; }
            .f:hover rect { stroke: #000; stroke-width: 0.5; }
            .f text { pointer-events: none; }
            .hide { display: none; }
            .faded rect { opacity: 0.5; }
            </style>
            <script type="text/ecmascript"><![CDATA[
            {{Script}}
            ]]></script>
            <rect x="0" y="0" width="100%" height="100%" fill="#f8f8f4"/>
            <text id="title" x="{{Width / 2}}" y="24">{{Escape(title)}}</text>
            <text id="reset" x="{{Pad}}" y="24" class="hide" onclick="unzoom()">Reset Zoom</text>
            <text id="search" x="{{Width - Pad - 60}}" y="24" onclick="searchPrompt()">Search</text>
            <text id="matched" x="{{Width - Pad - 160}}" y="{{height - 12}}"> </text>
            <text id="details" x="{{Pad}}" y="{{height - 12}}"> </text>
            <g id="frames" data-total="{{root.Value}}">

            """);
        var scale = (Width - 2.0 * Pad) / Math.Max(1, root.Value);
        Emit(svg, root, 0, 0, root.Value, scale, height);
        svg.Append("</g>\n</svg>\n");
        return svg.ToString();
    }

    private static Node Child(Node parent, string name, SymbolKind kind)
    {
        if (!parent.Children.TryGetValue((name, kind), out var child)) parent.Children[(name, kind)] = child = new Node(name, kind);
        return child;
    }

    private static int Depth(Node node) => 1 + (node.Children.Count == 0 ? 0 : node.Children.Values.Max(Depth));

    private static void Emit(StringBuilder svg, Node node, int level, long start, long total, double scale, int height)
    {
        var width = node.Value * scale;
        if (width < MinFrameWidth) return;
        var c = CultureInfo.InvariantCulture;
        var x = Pad + start * scale;
        var y = height - BottomMargin - (level + 1) * FrameHeight;
        var percent = 100.0 * node.Value / Math.Max(1, total);
        var label = $"{node.Name} ({node.Value} samples, {percent.ToString("F2", c)}%)";
        svg.Append(c, $"<g class=\"f\" data-s=\"{start}\" data-v=\"{node.Value}\" data-l=\"{level}\" data-k=\"{KindName(node.Kind)}\" onclick=\"zoom(this)\" onmouseover=\"show(this)\" onmouseout=\"hideDetails()\">");
        svg.Append(c, $"<title>{Escape(label)}</title><rect x=\"{x:F1}\" y=\"{y}\" width=\"{width:F1}\" height=\"{FrameHeight - 1}\" rx=\"2\" ry=\"2\" fill=\"{Colour(node)}\"/>");
        svg.Append(c, $"<text x=\"{x + 3:F1}\" y=\"{y + 11.5}\">{Escape(Fit(node.Name, width))}</text></g>\n");
        var childStart = start;
        foreach (var child in node.Children.Values.OrderBy(n => n.Name, StringComparer.Ordinal))
        {
            Emit(svg, child, level + 1, childStart, total, scale, height);
            childStart += child.Value;
        }
    }

    private static string KindName(SymbolKind kind) => kind switch
    {
        SymbolKind.Kernel => "kernel",
        SymbolKind.Jit => "jit",
        SymbolKind.User => "user",
        _ => "unknown",
    };

    /// <summary>A stable colour per name within its kind's palette, so two graphs of one program look alike.</summary>
    private static string Colour(Node node)
    {
        var hash = 0u;
        foreach (var ch in node.Name) hash = hash * 31 + ch;
        var v1 = (hash % 1000) / 1000.0;
        var v2 = (hash / 1000 % 1000) / 1000.0;
        var (r, g, b) = node.Kind switch
        {
            SymbolKind.Kernel => (220 + (int)(35 * v1), 120 + (int)(60 * v2), 30 + (int)(30 * v1)),
            SymbolKind.Jit => (60 + (int)(60 * v1), 180 + (int)(60 * v2), 70 + (int)(50 * v1)),
            SymbolKind.User => (205 + (int)(50 * v2), (int)(230 * v1), (int)(55 * v2)),
            _ => (170 + (int)(30 * v1), 170 + (int)(30 * v1), 170 + (int)(30 * v1)),
        };
        return $"rgb({r},{g},{b})";
    }

    private static string Fit(string name, double width)
    {
        var chars = (int)((width - 6) / 7);
        if (chars < 3) return "";
        return name.Length <= chars ? name : name[..(chars - 2)] + "..";
    }

    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);

    // Zoom rescales every frame from its data attributes (start, value, level), so it needs no layout
    // knowledge beyond the SVG itself; search marks matching frames and sums the widest non-overlapping ones.
    private const string Script = """
        var frames, details, matchedText, resetButton, total, width = 1200, pad = 10;
        function init(evt) {
          frames = document.getElementById("frames").getElementsByTagName("g");
          details = document.getElementById("details");
          matchedText = document.getElementById("matched");
          resetButton = document.getElementById("reset");
          total = +document.getElementById("frames").getAttribute("data-total");
          window.addEventListener("keydown", function (e) { if ((e.ctrlKey || e.metaKey) && e.key === "f") { e.preventDefault(); searchPrompt(); } });
          var q = new URLSearchParams(window.location.search).get("s");
          if (q) search(q);
        }
        function attr(g, name) { return +g.getAttribute("data-" + name); }
        function show(g) { details.textContent = g.getElementsByTagName("title")[0].textContent; }
        function hideDetails() { details.textContent = " "; }
        function fit(g, w) {
          var t = g.getElementsByTagName("text")[0], name = g.getElementsByTagName("title")[0].textContent.replace(/ \([0-9]+ samples.*$/, "");
          var chars = Math.floor((w - 6) / 7);
          t.textContent = chars < 3 ? "" : (name.length <= chars ? name : name.substring(0, chars - 2) + "..");
        }
        function place(g, start, value) {
          var scale = (width - 2 * pad) / value, r = g.getElementsByTagName("rect")[0], t = g.getElementsByTagName("text")[0];
          var x = pad + (attr(g, "s") - start) * scale, w = attr(g, "v") * scale;
          r.setAttribute("x", x.toFixed(1)); r.setAttribute("width", w.toFixed(1)); t.setAttribute("x", (x + 3).toFixed(1)); fit(g, w);
        }
        function zoom(node) {
          var s = attr(node, "s"), v = attr(node, "v"), l = attr(node, "l");
          for (var i = 0; i < frames.length; i++) {
            var g = frames[i], gs = attr(g, "s"), gv = attr(g, "v"), gl = attr(g, "l");
            g.classList.remove("hide"); g.classList.remove("faded");
            if (gl < l && gs <= s && gs + gv >= s + v) { g.classList.add("faded"); place(g, gs, gv); var r = g.getElementsByTagName("rect")[0]; r.setAttribute("x", pad); r.setAttribute("width", width - 2 * pad); g.getElementsByTagName("text")[0].setAttribute("x", pad + 3); fit(g, width - 2 * pad); }
            else if (gl >= l && gs >= s && gs + gv <= s + v) place(g, s, v);
            else g.classList.add("hide");
          }
          resetButton.classList.remove("hide");
        }
        function unzoom() {
          for (var i = 0; i < frames.length; i++) { frames[i].classList.remove("hide"); frames[i].classList.remove("faded"); place(frames[i], 0, total); }
          resetButton.classList.add("hide");
        }
        function searchPrompt() { var term = prompt("Search for (regular expression):", ""); if (term !== null) search(term); }
        function search(term) {
          var re; try { re = new RegExp(term); } catch (e) { return; }
          var spans = [];
          for (var i = 0; i < frames.length; i++) {
            var g = frames[i], r = g.getElementsByTagName("rect")[0], name = g.getElementsByTagName("title")[0].textContent.replace(/ \([0-9]+ samples.*$/, "");
            if (!r.getAttribute("data-fill")) r.setAttribute("data-fill", r.getAttribute("fill"));
            if (term !== "" && re.test(name)) { r.setAttribute("fill", "rgb(230,0,230)"); spans.push([attr(g, "s"), attr(g, "v")]); }
            else r.setAttribute("fill", r.getAttribute("data-fill"));
          }
          spans.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
          var covered = 0, end = -1;
          for (var j = 0; j < spans.length; j++) { var a = spans[j][0], b = a + spans[j][1]; if (b <= end) continue; covered += b - Math.max(a, end); end = b; }
          matchedText.textContent = term === "" ? " " : "Matched: " + (100 * covered / total).toFixed(1) + "%";
        }
        """;
}
