namespace Sharptrace.Script.Runtime;

/// <summary>What the command line asks of a run (bpftrace's option letters).</summary>
internal sealed record RunOptions
{
    public OutputFormat Format { get; init; } = OutputFormat.Text;
    public string? Command { get; init; }
    public int Pid { get; init; } = -1;
    public bool Verbose { get; init; }
    public bool Debug { get; init; }
    public bool Quiet { get; init; }
    public TextWriter Output { get; init; } = Console.Out;
}
