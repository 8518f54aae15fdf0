namespace Sharptrace.Tracing.DynamicEvents;

/// <summary>
/// A kprobe/uprobe event as tracefs lists it in kprobe_events or uprobe_events
/// (<c>p:GROUP/NAME LOCATION ARG…</c>, <c>r10:GROUP/NAME …</c>), with its fetch args parsed.
/// </summary>
public sealed record DynamicEventDefinition(string Group, string Name, bool IsUser, bool IsReturn, string Location, IReadOnlyList<FetchArgument> Arguments)
{
    /// <summary>The definition of GROUP/NAME in the kernel's list, or null when it is not there.</summary>
    public static DynamicEventDefinition? Find(string listing, string group, string name, bool isUser)
    {
        foreach (var line in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            if (Parse(line, isUser) is { } definition && definition.Group == group && definition.Name == name) return definition;
        return null;
    }

    /// <summary>Parses one listed line; null for lines that are not probe definitions.</summary>
    public static DynamicEventDefinition? Parse(string line, bool isUser)
    {
        var words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 2 || words[0].Length < 3 || words[0][0] is not ('p' or 'r')) return null;
        var colon = words[0].IndexOf(':');
        var slash = words[0].IndexOf('/');
        if (colon < 0 || slash < colon) return null;
        var isReturn = words[0][0] == 'r';
        var arguments = new List<FetchArgument>();
        for (var i = 2; i < words.Length; i++) arguments.Add(FetchArgument.Parse(words[i], i - 1, isUser, isReturn));
        return new DynamicEventDefinition(words[0][(colon + 1)..slash], words[0][(slash + 1)..], isUser, isReturn, words[1], arguments);
    }

    /// <summary>The argument named <paramref name="name"/>, or null.</summary>
    public FetchArgument? Argument(string name) => Arguments.FirstOrDefault(a => a.Name == name);
}
