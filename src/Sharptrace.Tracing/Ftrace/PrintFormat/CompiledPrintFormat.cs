using System.Text;

namespace Sharptrace.Tracing.Ftrace.PrintFormat;

/// <summary>An event's print fmt, ready to format records: the format pieces and one expression per conversion.</summary>
public sealed class CompiledPrintFormat
{
    private readonly IReadOnlyList<FormatSpec> pieces;
    private readonly IReadOnlyList<PrintExpression> arguments;

    internal CompiledPrintFormat(IReadOnlyList<FormatSpec> pieces, IReadOnlyList<PrintExpression> arguments)
    {
        var conversions = pieces.Sum(p => p.ArgumentCount);
        if (conversions != arguments.Count)
            throw new PrintFormatException($"{conversions} conversions for {arguments.Count} arguments");
        this.pieces = pieces;
        this.arguments = arguments;
    }

    /// <summary>Appends the record formatted as the kernel would print it.</summary>
    public void Format(StringBuilder output, ReadOnlySpan<byte> record, PrintContext context)
    {
        var next = 0;
        foreach (var piece in pieces)
        {
            if (!piece.TakesArgument) output.Append(piece.Literal);
            else if (piece.ArgumentCount == 1) piece.Append(output, arguments[next++].Evaluate(record, context), context);
            else
            {
                long? width = piece.WidthFromArgument ? arguments[next++].Evaluate(record, context).Integer : null;
                long? precision = piece.PrecisionFromArgument ? arguments[next++].Evaluate(record, context).Integer : null;
                piece.WithStars(width, precision).Append(output, arguments[next++].Evaluate(record, context), context);
            }
        }
    }

    /// <summary>The record formatted as a string.</summary>
    public string Format(ReadOnlySpan<byte> record, PrintContext? context = null)
    {
        var output = new StringBuilder();
        Format(output, record, context ?? PrintContext.Default);
        return output.ToString();
    }
}
