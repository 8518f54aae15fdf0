namespace Sharptrace.Bpf.Links;

/// <summary>
/// Detaches many links at once. Closing a perf event that carries a BPF program waits in the kernel
/// for RCU grace periods (perf_event_detach_bpf_prog, then perf_trace_event_unreg for a tracepoint
/// or kprobe event: about 90 ms here), and one close does not start until the previous returns:
/// four tracepoints took 380 ms to detach one after another. Closed from several threads, the
/// waits overlap and the set takes about as long as one.
/// </summary>
public static class Detach
{
    /// <summary>The most threads one call starts (besides the caller's).</summary>
    public const int MaxThreads = 16;

    /// <summary>Disposes every link, several at a time; returns when all are detached.</summary>
    public static void All(IReadOnlyList<IDisposable> links)
    {
        if (links.Count <= 1)
        {
            foreach (var link in links) link.Dispose();
            return;
        }
        var next = -1;
        Exception? failure = null;
        void Work()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < links.Count)
            {
                try { links[i].Dispose(); }
                catch (Exception e) { Interlocked.CompareExchange(ref failure, e, null); }
            }
        }
        var threads = new Thread[Math.Min(links.Count - 1, MaxThreads)];
        for (var t = 0; t < threads.Length; t++)
        {
            threads[t] = new Thread(Work) { IsBackground = true, Name = "detach" };
            threads[t].Start();
        }
        Work();
        foreach (var thread in threads) thread.Join();
        if (failure is not null) throw failure;
    }
}
