// Kernel tests share global state (attached raw tracepoints change kernel stacks, perf events and
// tracefs instances are machine-wide): parallel classes made conformance and perf tests see each
// other's probes under load. One class at a time keeps every comparison about its own workload.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
