using Sharptrace.Script.Diagnostics;
using Sharptrace.Script.Syntax;
using Sharptrace.Tracing.DynamicEvents;

namespace Sharptrace.Script.Semantics;

/// <summary>
/// args.NAME of a kprobe/uprobe dynamic event (tracepoint:sharptrace:X): the program sees pt_regs,
/// so each field is the event's fetch arg recomputed from the registers. Types follow the fetch
/// type; what BPF cannot recompute is an error naming the arg.
/// </summary>
internal static class DynamicEventArgs
{
    public static ScriptType TypeOf(DynamicEventDefinition definition, string name, SourceSpan span)
    {
        var argument = definition.Argument(name)
            ?? throw Error(span, $"{definition.Group}:{definition.Name} has no argument '{name}' (it has: {string.Join(", ", definition.Arguments.Select(a => a.Name))})");
        if (argument.Problem is { } problem) throw Unreadable(span, argument, problem);
        Check(argument.Fetch!, argument, span);
        var type = argument.Type;
        return type.Kind switch
        {
            FetchTypeKind.String or FetchTypeKind.UserString => ScriptType.String(TypeChecker.DefaultStringSize),
            FetchTypeKind.Symbol => new ScriptType(TypeKind.Ksym, 8),
            _ when type.BitWidth > 0 => ScriptType.UInt64,
            _ => ScriptType.Integer(type.Size, type.Signed),
        };
    }

    /// <summary>Registers, argument numbers and symbols are checked against this machine here, not when the program loads.</summary>
    private static void Check(FetchNode fetch, FetchArgument argument, SourceSpan span)
    {
        switch (fetch)
        {
            case RegisterFetch r when RegisterOffset(r.Name) is null:
                throw Unreadable(span, argument, $"unknown {Kernel.Arch.Current.Name} register '%{r.Name}'");
            case FunctionArgumentFetch a when a.Number > Kernel.Arch.Current.ArgumentOffsets.Length:
                throw Unreadable(span, argument, $"$arg{a.Number} is passed on the stack ({Kernel.Arch.Current.Name} passes {Kernel.Arch.Current.ArgumentOffsets.Length} in registers)");
            case SymbolFetch s when KernelSymbolAddress.Find(s.Symbol) is null:
                throw Unreadable(span, argument, $"symbol '{s.Symbol}' is not in /proc/kallsyms");
            case MemoryFetch m:
                Check(m.Address, argument, span);
                break;
        }
    }

    /// <summary>Offset in pt_regs of a register as kprobe_events names it (x86 "di", "r8"; arm64 "x0".."x30", "sp", "pc").</summary>
    public static int? RegisterOffset(string name)
    {
        if (Kernel.Arch.Current.Name == "x86_64") return TypeChecker.RegisterOffset(name);
        if (name.Length > 1 && name[0] == 'x' && int.TryParse(name.AsSpan(1), out var n) && n is >= 0 and <= 30) return n * 8;
        return name switch { "sp" => Kernel.Arch.Current.StackPointerOffset, "pc" => Kernel.Arch.Current.InstructionPointerOffset, "pstate" => Kernel.Arch.Current.InstructionPointerOffset + 8, _ => null };
    }

    private static ScriptException Unreadable(SourceSpan span, FetchArgument argument, string why) =>
        Error(span, $"argument '{argument.Name}' ({argument.Text}) cannot be read by a script: {why}");

    private static ScriptException Error(SourceSpan span, string message) => new(new Diagnostic(span, message));
}
