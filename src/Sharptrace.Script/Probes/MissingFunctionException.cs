using Sharptrace.Script.Diagnostics;

namespace Sharptrace.Script.Probes;

/// <summary>
/// A uprobe names a function its binary does not have. bpftrace 0.17 leaves such an attach point
/// out (its tools list functions that only some builds of a library have: ssllatency's
/// rsa_ossl_*), so the checker does too, with a warning, and fails only when no probe is left.
/// </summary>
internal sealed class MissingFunctionException(Diagnostic diagnostic) : Exception(diagnostic.Message)
{
    public Diagnostic Diagnostic { get; } = diagnostic;
}
