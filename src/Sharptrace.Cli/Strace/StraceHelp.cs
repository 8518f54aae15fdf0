namespace Sharptrace.Cli.Strace;

/// <summary>
/// The text `sharptrace strace --help` shows. strace's options are parsed by hand (they bundle
/// letters and end at the command), so System.CommandLine cannot list them: they live here, as
/// the command's description, in strace's own order and words.
/// </summary>
internal static class StraceHelp
{
    public const string Text = """
        Trace the system calls of a command or process, printed as strace prints them
        (eBPF: filtered, copied and counted in the kernel).

        usage: sharptrace strace [-fcCqnTrvwxyzZ] [-e EXPR]... [-o FILE] [-s STRSIZE] [-S SORTBY] [-X FORMAT] [--json] [--backend ebpf|ptrace] {-p PID | PROG [ARGS]}

          -f            follow forks and threads ([pid N] prefixes, or pid columns with -o)
          -ff           with -o FILE: one file per task, FILE.PID, without pid prefixes
          -p PID[,PID]  trace running processes
          -e trace=SET  calls to trace: names, %file %process %network %signal %ipc %desc %memory, !NAME, /REGEX
          -e status=failed|successful   only calls that failed / succeeded (also -Z / -z)
          -e signal=SET which signals' --- lines to show: names or numbers, !SET, all, none
          -c            count time, calls and errors per call and print a summary at exit: calls and
                        errors exact (counted in the kernel); time from each call's first 64 on a CPU,
                        then 1 in 8 counted 8 times (a clock read costs as much as the rest; -C times all)
          -C            like -c, but also print the calls
          -S SORTBY     sort the summary by time (default), calls, errors, name or nothing
          -w            summary time is each call's latency (sharptrace measures it so with -c too)
          -T            show the time spent in each call
          -t, -tt, -ttt prefix lines with the time of day, with microseconds, or epoch seconds
          -r            prefix lines with the time since the previous one
          -o FILE       write the trace to FILE instead of stderr
          -s STRSIZE    strings are cut after STRSIZE bytes (default 32)
          -x, -xx       print non-ASCII / all string bytes in hex
          -y            print the paths of descriptors: 3</etc/passwd>, socket:[INODE], pipe:[INODE] (-yy: the same);
                        an inode the process no longer holds when its record is decoded prints as [?]
          -v            print structures in full (stat, statx) and the whole environment of execve
          -X FORMAT     constants as names (abbrev), numbers (raw) or both (verbose: 0x2 /* O_RDWR */)
          -n            print the call number before the name
          -q            do not print attach and exit messages
          --json        one JSON object per call: pid, time, syscall, args (as printed), return, errno, result, duration
          --backend ebpf|ptrace   ebpf (default): in the kernel, fast; ptrace: stops the tracee at each call
                        as strace does (no BPF needed, reads memory like strace). Where bpf() is denied
                        (no CAP_BPF/CAP_PERFMON, ENOSYS, no raw tracepoints) ebpf falls back to ptrace
                        by itself; -v says so on stderr. e.g. sharptrace strace --backend ptrace -p 1234
        """;
}
