using System.Globalization;

namespace Sharptrace.Kernel;

/// <summary>The Linux capabilities tracing needs.</summary>
public enum Capability
{
    /// <summary>No capability.</summary>
    None = -1,
    /// <summary>CAP_SYS_ADMIN.</summary>
    SysAdmin = 21,
    /// <summary>CAP_SYS_PTRACE.</summary>
    SysPtrace = 19,
    /// <summary>CAP_SYS_RESOURCE.</summary>
    SysResource = 24,
    /// <summary>CAP_PERFMON (Linux 5.8).</summary>
    Perfmon = 38,
    /// <summary>CAP_BPF (Linux 5.8).</summary>
    Bpf = 39,
}

/// <summary>What this process may do: effective capabilities from /proc/self/status, lockdown state.</summary>
public static class Capabilities
{
    private static ulong? effective;

    /// <summary>The kernel's name of a capability, e.g. <c>CAP_BPF</c>.</summary>
    public static string Name(Capability capability) => capability switch
    {
        Capability.SysAdmin => "CAP_SYS_ADMIN",
        Capability.SysPtrace => "CAP_SYS_PTRACE",
        Capability.SysResource => "CAP_SYS_RESOURCE",
        Capability.Perfmon => "CAP_PERFMON",
        Capability.Bpf => "CAP_BPF",
        _ => "no capability",
    };

    /// <summary>Whether the process holds <paramref name="capability"/> in its effective set.</summary>
    public static bool Has(Capability capability)
    {
        if (capability == Capability.None) return true;
        effective ??= ReadEffective();
        return (effective.Value & (1UL << (int)capability)) != 0;
    }

    /// <summary>The kernel lockdown mode (none, integrity, confidentiality), or null where the file is absent.</summary>
    public static string? Lockdown()
    {
        try
        {
            var text = File.ReadAllText("/sys/kernel/security/lockdown");
            var start = text.IndexOf('[');
            var end = text.IndexOf(']');
            return start >= 0 && end > start ? text[(start + 1)..end] : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private static ulong ReadEffective()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("CapEff:", StringComparison.Ordinal))
                return ulong.Parse(line.AsSpan(7).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return 0;
    }
}
