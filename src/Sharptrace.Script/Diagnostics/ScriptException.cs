namespace Sharptrace.Script.Diagnostics;

/// <summary>
/// Stops a pass at the first error: the pipeline catches it, collects the diagnostic and prints it
/// rendered against the source. It never escapes <see cref="ScriptCompiler"/>.
/// </summary>
internal sealed class ScriptException(Diagnostic diagnostic) : Exception(diagnostic.Message)
{
    public Diagnostic Diagnostic { get; } = diagnostic;
}
