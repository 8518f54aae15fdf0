using Sharptrace.Tests.Fuzzing;
using Sharptrace.Tests.Vm;

namespace Sharptrace.Tests.Script;

/// <summary>
/// Random and mutated scripts (seeded, so every run tries the same inputs) must only ever give a
/// clean diagnostic or a program: no exception escapes the front end, and no input hangs it. The
/// million-script run is `dotnet run -c Release --project bench/Sharptrace.Bench -- script-fuzz`;
/// every input it found to fail is kept below as a regression case.
/// </summary>
public class ParserFuzzTests
{
    [Fact]
    public void RandomAndMutatedScriptsGiveCleanErrors()
    {
        var fuzzer = new ScriptFuzzer(ScriptFuzzer.ConformanceScripts(QemuVm.RepoRoot), seed: 20240601);
        var outcomes = new Dictionary<ScriptOutcome, int>();
        for (var i = 0; i < 20000; i++)
        {
            var text = fuzzer.Script(i);
            var (outcome, crash) = ScriptFuzzer.Exercise(text);
            if (crash is not null) Assert.Fail($"script {i}: {crash.GetType().Name}: {crash.Message} for input:\n{text}\n{crash.StackTrace}");
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }
        // The generators must reach every stage, or the fuzzing tests less than it claims.
        Assert.True(outcomes.GetValueOrDefault(ScriptOutcome.SemanticError) > 100, string.Join(", ", outcomes));
        Assert.True(outcomes.GetValueOrDefault(ScriptOutcome.Compiled) > 100, string.Join(", ", outcomes));
    }

    [Fact]
    public void RealProbeProvidersGiveCleanErrorsToo()
    {
        // Attach points looked up on this machine (tracefs, BTF, ELF files; nothing is attached).
        Sharptrace.Tests.Support.Require.Root();
        var fuzzer = new ScriptFuzzer(ScriptFuzzer.ConformanceScripts(QemuVm.RepoRoot), seed: 3);
        for (var i = 0; i < 3000; i++)
        {
            var text = fuzzer.Script(i);
            var (_, crash) = ScriptFuzzer.Exercise(text, realProbes: true);
            if (crash is not null) Assert.Fail($"script {i}: {crash.GetType().Name}: {crash.Message} for input:\n{text}\n{crash.StackTrace}");
        }
    }

    private static string Repeat(string text, int times) => string.Concat(Enumerable.Repeat(text, times));

    // Each crashed, or took seconds (a hang at the bench's 2 s limit), before the fix named.
    public static TheoryData<string> FoundByTheMillionRun =>
    [
        // Nested unrolls multiply the code generated: 2^700 copies of the block (now at most 10000 copies).
        "BEGIN { " + Repeat("unroll(2) {", 700) + "comm" + Repeat("}", 700) + " }",
        "BEGIN { unroll(100) { unroll(100) { unroll(2) { @x++; } } } }",
        // Blocks nested thousands deep recursed through every pass (now at most 100 deep).
        "BEGIN { " + Repeat("if (1) {", 3000) + "1" + Repeat("}", 3000) + " }",
        "BEGIN { " + Repeat("while (1) {", 2500) + "comm" + Repeat("}", 2500) + " }",
        "BEGIN { " + Repeat("{", 5000) + " }",
        // Stack overflows (SIGSEGV, uncatchable) in the recursive passes over left- and right-deep chains
        // (now at most 500 operators in an expression, 500 else-ifs in a row).
        "BEGIN { @x = 1" + Repeat(" + 1", 200000) + "; }",
        "BEGIN { if (1) { @x = 1; }" + Repeat(" else if (1) { @x = 1; }", 50000) + " }",
        "BEGIN { @x = $y" + Repeat("->a", 100000) + "; }",
        "BEGIN { @x = $y" + Repeat("[1]", 100000) + "; }",
        // An ArgumentException: uaddr() looked the symbol up in a binary with an empty path.
        "uprobe::/usr/bin/bash:main /pid == cpid/ { printf(\"%x %d\\n\", uaddr(\"ps1_prompt\"), uaddr(\"ps1_prompt\") > 0); exit(); }",
        // A hang with the real providers (script-fuzz … real): uprobe on /dev/zero read it forever as an ELF file.
        "uprobe:/dev/zero:main { @x = uaddr(\"a\"); }",
        // An OverflowException: a printf width beyond int (now a width or precision over 4096 is no format).
        "BEGIN { printf(\"[%5d][%-184467440737095516155,d][%05d]\\n\", 42, 42, 42); exit(); }",
        "BEGIN { printf(\"%.99999999999d\\n\", 1); }",
    ];

    [Theory]
    [InlineData("BEGIN { unroll(100) { unroll(100) { unroll(2) { @x++; } } } }", "nested unroll repeats this block 20000 times (at most 10000)")]
    [InlineData("BEGIN { @x = 1 + 2 + 3; }", null)]
    [InlineData("BEGIN { if (1) { } else if (2) { } else { } }", null)]
    [InlineData("BEGIN { {{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{ }", "blocks nested too deeply (at most 100)")]
    public void LimitsFoundByFuzzingAreCleanErrors(string text, string? message)
    {
        var (script, error) = Sharptrace.Script.ScriptCompiler.Compile(new Sharptrace.Script.Syntax.SourceText("stdin", text), [], OfflineProbes.Resolve);
        if (message is null)
        {
            Assert.True(script is not null, error); // ordinary scripts stay well inside the limits
            return;
        }
        Assert.Null(script);
        Assert.Contains(message, error);
    }

    [Fact]
    public void ChainLimitsAreCleanErrors()
    {
        var sum = "BEGIN { @x = 1" + Repeat(" + 1", 501) + "; }";
        Assert.Contains("stdin:1:2016: error: expression too long (more than 500 operators)", Sharptrace.Script.ScriptCompiler.Parse(new Sharptrace.Script.Syntax.SourceText("stdin", sum)).Error);
        Assert.Null(Sharptrace.Script.ScriptCompiler.Parse(new Sharptrace.Script.Syntax.SourceText("stdin", "BEGIN { @x = 1" + Repeat(" + 1", 500) + "; }")).Error);
        var elseIfs = "BEGIN { if (1) { }" + Repeat(" else if (1) { }", 501) + " }";
        Assert.Contains("error: too many else-if branches (more than 500)", Sharptrace.Script.ScriptCompiler.Parse(new Sharptrace.Script.Syntax.SourceText("stdin", elseIfs)).Error);
    }

    [Theory]
    [MemberData(nameof(FoundByTheMillionRun))]
    public void InputsOnceFoundToCrashGiveCleanErrors(string text)
    {
        var (_, crash) = ScriptFuzzer.Exercise(text);
        Assert.True(crash is null, $"{crash?.GetType().Name}: {crash?.Message}\n{crash?.StackTrace}");
    }
}
