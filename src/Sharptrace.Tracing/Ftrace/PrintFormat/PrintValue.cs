namespace Sharptrace.Tracing.Ftrace.PrintFormat;

/// <summary>A value of a print fmt expression: a 64-bit integer or a string.</summary>
public readonly record struct PrintValue(long Integer, string? Text)
{
    /// <summary>An integer value.</summary>
    public static PrintValue Of(long value) => new(value, null);

    /// <summary>A string value.</summary>
    public static PrintValue Of(string text) => new(0, text);

    /// <summary>Whether the value is a string.</summary>
    public bool IsText => Text is not null;

    /// <summary>C truth: non-zero integers and non-null strings.</summary>
    public bool IsTrue => Text is not null || Integer != 0;
}
