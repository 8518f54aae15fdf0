using Sharptrace.Tracing.TraceFs;

namespace Sharptrace.Tracing.Ftrace;

/// <summary>The events a trace can contain, by id (common_type).</summary>
public sealed class EventTypeTable
{
    private readonly Dictionary<int, TraceEventType> byId = [];

    /// <summary>All known events.</summary>
    public IEnumerable<TraceEventType> All => byId.Values;

    /// <summary>Adds an event from its system and format text.</summary>
    public TraceEventType Add(string system, string formatText)
    {
        var type = new TraceEventType(system, EventFormat.Parse(formatText, $"{system}/format"));
        byId[type.Id] = type;
        return type;
    }

    /// <summary>The event with id <paramref name="id"/>, or null.</summary>
    public TraceEventType? Find(int id) => byId.GetValueOrDefault(id);

    /// <summary>The event named <paramref name="system"/>:<paramref name="name"/>, or null.</summary>
    public TraceEventType? Find(string system, string name) =>
        byId.Values.FirstOrDefault(t => t.System == system && t.Name == name);
}
