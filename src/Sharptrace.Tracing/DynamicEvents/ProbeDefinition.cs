using System.Globalization;
using System.Text;

namespace Sharptrace.Tracing.DynamicEvents;

/// <summary>The kind of a dynamic probe event.</summary>
public enum ProbeKind
{
    /// <summary>A kernel function entry (or offset): p: in kprobe_events.</summary>
    Kprobe,

    /// <summary>A kernel function return: r: in kprobe_events.</summary>
    Kretprobe,

    /// <summary>A user function entry: p: in uprobe_events.</summary>
    Uprobe,

    /// <summary>A user function return: r: in uprobe_events.</summary>
    Uretprobe,
}

/// <summary>
/// A dynamic event to create, parsed from perf probe's syntax (<c>[NAME=]FUNC[+OFF][%return] [ARG…]</c>)
/// or kprobe_events' (<c>p|r[:[GRP/]NAME] FUNC [ARG…]</c>), always in the <c>sharptrace</c> group.
/// Fetch args (<c>%di</c>, <c>+0(%si):string</c>, <c>$retval</c>, <c>$argN</c>, <c>name=…:u32</c>) are passed to the kernel, which checks them.
/// </summary>
public sealed record ProbeDefinition(ProbeKind Kind, string Name, string Location, IReadOnlyList<string> Arguments)
{
    /// <summary>The group of the events sharptrace creates.</summary>
    public const string Group = "sharptrace";

    /// <summary>Whether it is a uprobe or uretprobe.</summary>
    public bool IsUser => Kind is ProbeKind.Uprobe or ProbeKind.Uretprobe;

    /// <summary>The file the definition is written to.</summary>
    public string EventsFile => IsUser ? "uprobe_events" : "kprobe_events";

    /// <summary>The line for kprobe_events/uprobe_events.</summary>
    public string ToKernelSyntax()
    {
        var text = new StringBuilder();
        text.Append(Kind is ProbeKind.Kretprobe or ProbeKind.Uretprobe ? 'r' : 'p').Append(':').Append(Group).Append('/').Append(Name).Append(' ').Append(Location);
        foreach (var argument in Arguments) text.Append(' ').Append(argument);
        return text.ToString();
    }

    /// <summary>
    /// Parses <paramref name="spec"/>; <paramref name="binary"/> (-x) makes it a uprobe whose function
    /// <paramref name="resolveOffset"/> turns into a file offset.
    /// </summary>
    public static ProbeDefinition Parse(string spec, string? binary, Func<string, string, ulong> resolveOffset)
    {
        var words = spec.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) throw new ArgumentException("empty probe definition");
        string? name = null;
        bool isReturn;
        string target;
        var first = words[0];
        if (first.Length >= 1 && first[0] is 'p' or 'r' && (first.Length == 1 || first[1] == ':'))
        {
            // kprobe_events syntax: p[:[GRP/]NAME] TARGET ARGS; an explicit group other than ours is refused.
            isReturn = first[0] == 'r';
            if (first.Length > 2)
            {
                var label = first[2..];
                var slash = label.IndexOf('/');
                if (slash >= 0)
                {
                    if (label[..slash] != Group) throw new ArgumentException($"probes sharptrace creates live in the '{Group}' group, not '{label[..slash]}'");
                    label = label[(slash + 1)..];
                }
                name = label;
            }
            if (words.Length < 2) throw new ArgumentException($"'{spec}': no probe location");
            target = words[1];
            words = words[2..];
        }
        else
        {
            var eq = first.IndexOf('=');
            if (eq > 0) { name = first[..eq]; first = first[(eq + 1)..]; }
            isReturn = first.EndsWith("%return", StringComparison.Ordinal);
            target = isReturn ? first[..^7] : first;
            words = words[1..];
        }
        if (target.Length == 0) throw new ArgumentException($"'{spec}': no probe location");
        ProbeKind kind;
        string location;
        if (binary is not null || target.Contains(':'))
        {
            kind = isReturn ? ProbeKind.Uretprobe : ProbeKind.Uprobe;
            var path = binary;
            var function = target;
            if (binary is null)
            {
                var colon = target.LastIndexOf(':');
                path = target[..colon];
                function = target[(colon + 1)..];
            }
            var plus = function.IndexOf('+');
            ulong extra = 0;
            if (plus > 0)
            {
                extra = ParseNumber(function[(plus + 1)..], spec);
                function = function[..plus];
            }
            var offset = function.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? ParseNumber(function, spec)
                : resolveOffset(path!, function);
            location = $"{path}:0x{(offset + extra).ToString("x", CultureInfo.InvariantCulture)}";
            name ??= Sanitize(function);
        }
        else
        {
            kind = isReturn ? ProbeKind.Kretprobe : ProbeKind.Kprobe;
            location = target;
            var plus = target.IndexOf('+');
            name ??= Sanitize(plus > 0 ? target[..plus] : target);
        }
        if (isReturn && !name.EndsWith("__return", StringComparison.Ordinal) && !spec.TrimStart().StartsWith("r:", StringComparison.Ordinal)) name += "__return";
        if (!IsValidName(name)) throw new ArgumentException($"'{name}' is not a valid event name (letters, digits and _ only)");
        return new ProbeDefinition(kind, name, location, words);
    }

    private static ulong ParseNumber(string text, string spec)
    {
        var ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        return ok ? value : throw new ArgumentException($"'{spec}': bad offset '{text}'");
    }

    private static string Sanitize(string function)
    {
        var builder = new StringBuilder();
        foreach (var c in function) builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        if (builder.Length > 0 && char.IsAsciiDigit(builder[0])) builder.Insert(0, '_');
        return builder.ToString();
    }

    private static bool IsValidName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
