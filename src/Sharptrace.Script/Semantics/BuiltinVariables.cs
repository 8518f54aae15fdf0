using Sharptrace.Script.Probes;

namespace Sharptrace.Script.Semantics;

/// <summary>The builtin variables and their types; CodeGen has the matching emitter for each name.</summary>
internal static class BuiltinVariables
{
    public static readonly IReadOnlyDictionary<string, ScriptType> Types = new Dictionary<string, ScriptType>
    {
        ["pid"] = ScriptType.UInt64, ["tid"] = ScriptType.UInt64, ["uid"] = ScriptType.UInt64, ["gid"] = ScriptType.UInt64,
        ["nsecs"] = ScriptType.UInt64, ["elapsed"] = ScriptType.UInt64, ["cpu"] = ScriptType.UInt64, ["comm"] = ScriptType.String(16),
        ["rand"] = ScriptType.UInt32, ["cgroup"] = ScriptType.UInt64, ["curtask"] = ScriptType.Pointer("struct task_struct"),
        ["retval"] = ScriptType.UInt64, ["cpid"] = ScriptType.UInt64, ["probe"] = new(TypeKind.Probe, 8), ["func"] = ScriptType.String(64),
        ["username"] = new(TypeKind.Username, 8), ["sarg0"] = ScriptType.UInt64,
    };

    /// <summary>The type of builtin <paramref name="name"/>, or null when it is no builtin.</summary>
    public static ScriptType? TypeOf(string name) =>
        Types.TryGetValue(name, out var type) ? type
        : IsArgument(name, out _) ? ScriptType.UInt64
        : null;

    public static bool IsArgument(string name, out int index)
    {
        index = -1;
        return name.StartsWith("arg", StringComparison.Ordinal) && name.Length > 3 && int.TryParse(name.AsSpan(3), out index) && index is >= 0 and < 64;
    }

    /// <summary>Why <paramref name="name"/> cannot be used in <paramref name="probe"/>, or null when it can.</summary>
    public static string? Restriction(string name, ResolvedProbe probe)
    {
        if (IsArgument(name, out var index))
        {
            if (probe.Kind == ProbeKind.RawTracepoint) return null;
            if (probe.Usdt is { } usdt)
            {
                // bpftrace 0.17 keeps the architecture's limit for usdt too.
                if (index >= Kernel.Arch.Current.ArgumentOffsets.Length) return $"{Kernel.Arch.Current.Name} doesn't support {name}";
                if (index >= usdt.ArgumentCount) return $"{name} is out of range: {probe.FullName} has {usdt.ArgumentCount} argument{(usdt.ArgumentCount == 1 ? "" : "s")}";
                return usdt.Argument(index, out var error) is null ? error : null;
            }
            if (!probe.HasRegisters || probe.IsReturn) return $"{name} is only available in kprobe and uprobe probes, not {probe.Kind.ToString().ToLowerInvariant()}";
            if (index >= Kernel.Arch.Current.ArgumentOffsets.Length) return $"{name} is out of range: {Kernel.Arch.Current.Name} passes {Kernel.Arch.Current.ArgumentOffsets.Length} arguments in registers";
        }
        if (name == "retval" && !probe.IsReturn) return "retval is only available in kretprobe and uretprobe probes";
        if (name == "func" && !probe.HasRegisters && probe.Tracing is null) return "func is only available in kprobe, uprobe and kfunc probes";
        return null;
    }
}
