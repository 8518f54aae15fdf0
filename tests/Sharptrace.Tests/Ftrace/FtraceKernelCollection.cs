namespace Sharptrace.Tests.Ftrace;

/// <summary>Tests that change tracefs (instances, dynamic events, the top-level buffer) run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FtraceKernelCollection
{
    public const string Name = "ftrace kernel state";
}
