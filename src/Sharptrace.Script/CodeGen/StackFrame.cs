using Sharptrace.Script.Diagnostics;
using Sharptrace.Script.Syntax;

namespace Sharptrace.Script.CodeGen;

/// <summary>
/// Hands out 8-aligned slots of the 512-byte BPF stack (offsets from r10, negative). Temporaries are
/// released after each statement; variables keep their slots for the whole probe.
/// </summary>
internal sealed class StackFrame
{
    public const int Limit = 512;
    private int used;

    public short Allocate(int size, SourceSpan span)
    {
        used += (size + 7) & ~7;
        if (used > Limit)
            throw new ScriptException(new Diagnostic(span, $"this probe needs more than {Limit} bytes of BPF stack: use shorter strings (str(x, n)) or fewer printf arguments"));
        return (short)-used;
    }

    public int Mark() => used;

    public void Release(int mark) => used = mark;
}
