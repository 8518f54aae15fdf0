namespace Sharptrace.Script.Semantics;

/// <summary>
/// Names a script may use as numbers without kernel headers: enum values come from the kernel's
/// BTF; the few #define constants the standard tools use (which BTF cannot carry) are listed here.
/// </summary>
internal static class KernelConstants
{
    private static readonly Dictionary<string, long> Defines = new()
    {
        ["TASK_RUNNING"] = 0, ["TASK_INTERRUPTIBLE"] = 1, ["TASK_UNINTERRUPTIBLE"] = 2, ["__TASK_STOPPED"] = 4, ["__TASK_TRACED"] = 8,
        ["EXIT_DEAD"] = 16, ["EXIT_ZOMBIE"] = 32, ["TASK_PARKED"] = 64, ["TASK_DEAD"] = 128,
        ["AF_UNIX"] = 1, ["AF_INET"] = 2, ["AF_INET6"] = 10, ["AF_NETLINK"] = 16, ["AF_PACKET"] = 17,
        ["O_RDONLY"] = 0, ["O_WRONLY"] = 1, ["O_RDWR"] = 2, ["O_CREAT"] = 64, ["O_TRUNC"] = 512, ["O_APPEND"] = 1024,
        ["SIGKILL"] = 9, ["SIGTERM"] = 15, ["SIGINT"] = 2, ["SIGSTOP"] = 19, ["SIGCONT"] = 18, ["SIGUSR1"] = 10, ["SIGUSR2"] = 12,
        ["PAGE_SIZE"] = 4096,
    };

    public static bool TryGet(string name, out long value)
    {
        if (Defines.TryGetValue(name, out value)) return true;
        // Only names that look like C constants send us to the (lazily parsed) kernel BTF.
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_')) return false;
        var spec = KernelTypes.Spec;
        return spec is not null && spec.TryFindEnumValue(name, out value, out _);
    }
}
