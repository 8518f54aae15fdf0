// A second source with its own file-local sharptrace_hits, linked into a copy of usdt_globals: a
// probe argument naming that static cannot be told from this one, and the tracer must say so.
static int sharptrace_hits = 5;

int *sharptrace_twin_hits(void) { return &sharptrace_hits; }
