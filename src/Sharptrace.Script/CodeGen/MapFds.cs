namespace Sharptrace.Script.CodeGen;

/// <summary>The file descriptors the generated code refers to: one per script map, the ring buffer and the lost-event counter.</summary>
internal sealed record MapFds(IReadOnlyDictionary<string, int> Maps, int RingBuffer, int LostCounter)
{
    /// <summary>Placeholders for dumping code (-d) without creating kernel objects.</summary>
    public static MapFds Placeholder(IEnumerable<string> names) => new(names.ToDictionary(n => n, _ => 0), 0, 0);
}
