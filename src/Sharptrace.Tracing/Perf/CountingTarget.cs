namespace Sharptrace.Tracing.Perf;

/// <summary>What a counter or a sampling session watches: some threads (and their future children), or whole CPUs.</summary>
public sealed record CountingTarget
{
    private CountingTarget(IReadOnlyList<int> threads, IReadOnlyList<int> cpus, bool enableOnExec, string description)
    {
        Threads = threads;
        Cpus = cpus;
        EnableOnExec = enableOnExec;
        Description = description;
    }

    /// <summary>Thread ids to follow; [-1] for system-wide.</summary>
    public IReadOnlyList<int> Threads { get; }

    /// <summary>CPUs to open on; [-1] for "whichever CPU the thread runs on".</summary>
    public IReadOnlyList<int> Cpus { get; }

    /// <summary>True when the counters start at the child's exec (a command we launched stopped).</summary>
    public bool EnableOnExec { get; }

    /// <summary>How perf names the target: "'cmd args'", "process id '42'", "system wide".</summary>
    public string Description { get; }

    /// <summary>True for -a.</summary>
    public bool IsSystemWide => Threads is [-1];

    /// <summary>A command we started stopped before its exec; children inherit the counters.</summary>
    public static CountingTarget Command(int pid, string commandLine) => new([pid], [-1], true, $"'{commandLine}'");

    /// <summary>Every thread of an existing process (-p); threads it starts later inherit.</summary>
    public static CountingTarget Process(int pid)
    {
        var taskDir = $"/proc/{pid}/task";
        if (!Directory.Exists(taskDir)) throw new ArgumentException($"no process with pid {pid}");
        var threads = Directory.GetDirectories(taskDir).Select(d => int.Parse(Path.GetFileName(d), System.Globalization.CultureInfo.InvariantCulture)).Order().ToArray();
        return new CountingTarget(threads, [-1], false, $"process id '{pid}'");
    }

    /// <summary>Every CPU, every task (-a).</summary>
    public static CountingTarget SystemWide() => new([-1], OnlineCpus(), false, "'system wide'");

    /// <summary>This target, but with one ring/counter per CPU (sampling with inherit needs per-CPU events to mmap).</summary>
    public CountingTarget PerCpu() => Cpus is [-1] ? new CountingTarget(Threads, OnlineCpus(), EnableOnExec, Description) : this;

    /// <summary>The online CPUs from /sys/devices/system/cpu/online ("0-3,6").</summary>
    public static int[] OnlineCpus()
    {
        var text = File.Exists("/sys/devices/system/cpu/online") ? File.ReadAllText("/sys/devices/system/cpu/online").Trim() : "0";
        var cpus = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var dash = part.IndexOf('-');
            if (dash < 0) { cpus.Add(int.Parse(part, System.Globalization.CultureInfo.InvariantCulture)); continue; }
            var first = int.Parse(part[..dash], System.Globalization.CultureInfo.InvariantCulture);
            var last = int.Parse(part[(dash + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            for (var c = first; c <= last; c++) cpus.Add(c);
        }
        return [.. cpus];
    }
}
