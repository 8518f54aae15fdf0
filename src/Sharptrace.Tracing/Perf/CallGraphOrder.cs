namespace Sharptrace.Tracing.Perf;

/// <summary>Which end of a call chain the report's call graph starts from (perf report -g caller|callee).</summary>
public enum CallGraphOrder
{
    /// <summary>From the outermost caller (main) down to the sampled function: perf's default.</summary>
    Caller,

    /// <summary>From the sampled function up through its callers.</summary>
    Callee,
}
