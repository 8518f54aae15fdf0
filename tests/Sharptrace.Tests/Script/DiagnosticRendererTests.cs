using Sharptrace.Script.Diagnostics;
using Sharptrace.Script.Syntax;

namespace Sharptrace.Tests.Script;

public class DiagnosticRendererTests
{
    [Fact]
    public void UnderlinesTheSpanWithACaret()
    {
        var source = new SourceText("script.bt", "BEGIN {\n  foo(1);\n}\n");
        var text = DiagnosticRenderer.Render(source, new Diagnostic(new SourceSpan(10, 3), "unknown function: 'foo'"));
        Assert.Equal("script.bt:2:3: error: unknown function: 'foo'\n  foo(1);\n  ^~~\n", text);
    }

    [Fact]
    public void TabsAreExpanded()
    {
        var source = new SourceText("t", "BEGIN {\n\tbar;\n}");
        var text = DiagnosticRenderer.Render(source, new Diagnostic(new SourceSpan(9, 3), "x"));
        Assert.Equal("t:2:2: error: x\n        bar;\n        ^~~\n", text);
    }

    [Fact]
    public void SpanAtEndOfInputAndWarnings()
    {
        var source = new SourceText("t", "BEGIN");
        Assert.Equal("t:1:6: warning: w\nBEGIN\n     ^\n", DiagnosticRenderer.Render(source, new Diagnostic(new SourceSpan(5, 0), "w", IsWarning: true)));
    }

    [Fact]
    public void SpanOverSeveralLinesIsCutAtTheEndOfTheFirst()
    {
        var source = new SourceText("t", "ab\ncd");
        Assert.Equal("t:1:1: error: e\nab\n^~\n", DiagnosticRenderer.Render(source, new Diagnostic(new SourceSpan(0, 5), "e")));
    }
}
