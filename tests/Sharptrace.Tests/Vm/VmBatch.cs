using System.Text;

namespace Sharptrace.Tests.Vm;

/// <summary>
/// Several checks for one boot (a boot costs seconds, a command milliseconds), each with its own
/// output and exit code. Each command runs in its own subshell, so an <c>exit</c> or a failure
/// in one leaves the others running.
/// </summary>
/// <example>
/// var batch = new VmBatch();
/// var version = batch.Add("sharptrace --version");
/// var result = fixture.Vm.Run(batch, [(QemuVmFixture.SharptraceBinary, "/bin/sharptrace")]);
/// Assert.Equal(0, result[version].ExitCode);
/// </example>
public sealed class VmBatch
{
    readonly List<VmStep> steps = [];

    public IReadOnlyList<VmStep> Steps => steps;

    public VmStep Add(string command)
    {
        var step = new VmStep(steps.Count, command);
        steps.Add(step);
        return step;
    }

    internal static string BeginMarker(int index) => $"@@STEP {index} BEGIN@@\n";

    internal static string EndMarker(int index) => $"@@STEP {index} END=";

    internal string ToScript()
    {
        var script = new StringBuilder();
        foreach (var step in steps)
        {
            // The newline before ")" keeps a trailing comment in the command from eating it; the
            // end marker is printed right after the output, so a last line without "\n" stays so.
            script.Append($"echo '{BeginMarker(step.Index).TrimEnd('\n')}'\n");
            script.Append($"(\n{step.Command}\n) </dev/null 2>&1\n");
            script.Append($"echo \"{EndMarker(step.Index)}$?@@\"\n");
        }
        return script.ToString();
    }

    internal VmBatchResult Parse(VmResult vm)
    {
        var results = new Dictionary<int, VmStepResult>();
        var text = vm.Output;
        var at = 0;
        foreach (var step in steps)
        {
            var begin = text.IndexOf(BeginMarker(step.Index), at, StringComparison.Ordinal);
            if (begin < 0)
                break;
            var outputStart = begin + BeginMarker(step.Index).Length;
            var end = text.IndexOf(EndMarker(step.Index), outputStart, StringComparison.Ordinal);
            if (end < 0)
                break; // the VM died or timed out inside this step
            var codeStart = end + EndMarker(step.Index).Length;
            var codeEnd = text.IndexOf("@@", codeStart, StringComparison.Ordinal);
            if (codeEnd < 0 || !int.TryParse(text.AsSpan(codeStart, codeEnd - codeStart), out var code))
                break;
            results[step.Index] = new VmStepResult(step.Command, code, text[outputStart..end]);
            at = codeEnd;
        }
        return new VmBatchResult(vm, results);
    }
}

public sealed record VmStep(int Index, string Command);

public sealed record VmStepResult(string Command, int ExitCode, string Output)
{
    public override string ToString() => $"$ {Command}\n{Output}[exit {ExitCode}]";
}

public sealed class VmBatchResult(VmResult vm, IReadOnlyDictionary<int, VmStepResult> steps)
{
    /// <summary>The whole boot: exit code, all output, vm.sh diagnostics.</summary>
    public VmResult Vm { get; } = vm;

    /// <summary>A step's result; fails the test with the whole VM output when the step never finished.</summary>
    public VmStepResult this[VmStep step]
    {
        get
        {
            if (!steps.TryGetValue(step.Index, out var result))
                Assert.Fail($"the VM did not finish step {step.Index} ({step.Command}):\n{Vm}");
            return result!;
        }
    }
}
