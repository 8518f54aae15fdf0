namespace Sharptrace.Script.Semantics;

/// <summary>A printf call site: its format string and the types of its arguments, laid out in the event record.</summary>
internal sealed record PrintfFormat(string Format, IReadOnlyList<ScriptType> Arguments)
{
    /// <summary>What user space does with the formatted text: "printf" prints it, "system" runs it, "cat" prints that file.</summary>
    public string Action { get; init; } = "printf";

    /// <summary>Offset of each argument after the 8-byte event id.</summary>
    public int Offset(int index)
    {
        var offset = 8;
        for (var i = 0; i < index; i++) offset += ScriptType.Align8(Arguments[i].Size);
        return offset;
    }

    public int RecordSize => Offset(Arguments.Count);
}
