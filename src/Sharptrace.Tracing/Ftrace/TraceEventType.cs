using Sharptrace.Tracing.Ftrace.PrintFormat;
using Sharptrace.Tracing.TraceFs;

namespace Sharptrace.Tracing.Ftrace;

/// <summary>An event of a trace: its system, its record layout and (when the compiler understands it) its compiled print fmt.</summary>
public sealed class TraceEventType
{
    private CompiledPrintFormat? printer;
    private bool printerCompiled;

    /// <summary>Wraps a parsed format of <paramref name="system"/>.</summary>
    public TraceEventType(string system, EventFormat format)
    {
        System = system;
        Format = format;
    }

    /// <summary>The event's system (tracefs folder), e.g. <c>sched</c>.</summary>
    public string System { get; }

    /// <summary>The event's record layout.</summary>
    public EventFormat Format { get; }

    /// <summary>The event's name, e.g. <c>sched_switch</c>.</summary>
    public string Name => Format.Name;

    /// <summary>The event id, the common_type of its records.</summary>
    public int Id => Format.Id;

    /// <summary>The print fmt compiled for formatting records; null when it uses what we do not evaluate (then fields print as name=value).</summary>
    public CompiledPrintFormat? Printer
    {
        get
        {
            if (!printerCompiled)
            {
                printer = PrintFormatCompiler.TryCompile(Format);
                printerCompiled = true;
            }
            return printer;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{System}:{Name}";
}
