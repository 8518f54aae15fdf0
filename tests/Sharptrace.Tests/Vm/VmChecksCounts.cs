using System.Text.RegularExpressions;

namespace Sharptrace.Tests.Vm;

/// <summary>
/// What `vmchecks kprobe|fentry FUNCTION N` prints: <c>kprobe_hits=… kretprobe_hits=… ret_enoent=…
/// ret_ok=… ret_sum=… ret_values=V:COUNT,…</c>, read back by name.
/// </summary>
public sealed partial class VmChecksCounts
{
    readonly VmStepResult step;
    readonly Dictionary<string, string> values;

    public VmChecksCounts(VmStepResult step)
    {
        this.step = step;
        values = KeyValue().Matches(step.Output).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
    }

    /// <summary>The count named <paramref name="key"/>; fails the test with the step's output when it is missing.</summary>
    public long this[string key] => values.TryGetValue(key, out var v) ? long.Parse(v) : throw new Xunit.Sdk.XunitException($"no {key}= in:\n{step}");

    /// <summary>ret_values: how many times each return value was seen.</summary>
    public Dictionary<long, long> ReturnValues =>
        values["ret_values"].Split(',').Select(pair => pair.Split(':')).ToDictionary(p => long.Parse(p[0]), p => long.Parse(p[1]));

    [GeneratedRegex(@"(\w+)=(\S+)")]
    private static partial Regex KeyValue();
}
