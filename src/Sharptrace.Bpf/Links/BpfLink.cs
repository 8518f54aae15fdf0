using Sharptrace.Kernel;

namespace Sharptrace.Bpf.Links;

/// <summary>
/// A program attached to a hook. Every link is owned by fds (a perf event, a bpf_link, a raw
/// tracepoint): closing them detaches, and the kernel closes them itself if the process dies.
/// </summary>
public sealed class BpfLink : IDisposable
{
    private readonly KernelFd[] fds;

    internal BpfLink(string description, params KernelFd[] fds)
    {
        Description = description;
        this.fds = fds;
    }

    /// <summary>A link that takes over another's fds under a better description.</summary>
    internal BpfLink(string description, BpfLink inner) : this(description, inner.fds) { }

    /// <summary>What is attached where, e.g. "tracepoint syscalls:sys_enter_openat".</summary>
    public string Description { get; }

    /// <summary>The perf event fd behind the link, when there is one (for enable/disable or reading counts).</summary>
    public KernelFd? PerfEventFd { get; internal init; }

    /// <inheritdoc />
    public override string ToString() => Description;

    /// <summary>Detaches.</summary>
    public void Dispose()
    {
        // The bpf_link goes first, then the perf event it sits on.
        for (var i = fds.Length - 1; i >= 0; i--) fds[i].Dispose();
    }
}

/// <summary>Several links detached together (a probe on every CPU, a wildcard's many functions).</summary>
public sealed class LinkSet : IDisposable
{
    private readonly List<BpfLink> links = [];

    /// <summary>The links held.</summary>
    public IReadOnlyList<BpfLink> Links => links;

    /// <summary>Takes ownership of <paramref name="link"/>.</summary>
    public void Add(BpfLink link) => links.Add(link);

    /// <summary>Hands <paramref name="link"/> back to the caller: it is no longer detached with the set.</summary>
    public bool Forget(BpfLink link) => links.Remove(link);

    /// <summary>Detaches every link, last attached first.</summary>
    public void Dispose()
    {
        for (var i = links.Count - 1; i >= 0; i--) links[i].Dispose();
        links.Clear();
    }
}
