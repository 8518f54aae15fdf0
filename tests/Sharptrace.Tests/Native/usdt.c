// USDT probes written the way <sys/sdt.h> writes them (no systemtap headers needed): a nop at the
// probe site and a .note.stapsdt note holding its address, the .stapsdt.base address, the
// semaphore address (0 for none), provider, name and the argument specs that gcc fills in from
// the asm operands ("-4@%edi", "8@-24(%rbp)", "4@$5"...).
//
// usdt [wait]: with "wait", prints "ready PID" and waits for a line on stdin first; then fires
// sharptrace_test:args, other:tick and other:args three times, and sharptrace_test:guarded only while its
// semaphore is raised (as applications test FOO_ENABLED() before costly argument work); ends
// with "done guarded=N" on stderr.
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "usdt_note.h"

#define USDT_NOTE(provider, name, semaphore, args) USDT_NOTE_FULL("nop", provider, name, semaphore, args)

// The semaphore a tracer increments while it is attached (sdt.h puts it in .probes).
__attribute__((section(".probes"))) volatile unsigned short sharptrace_test_guarded_semaphore;

static const char *names[] = {"zero", "one", "two"};

static void __attribute__((noinline)) fire(int i)
{
    // An int in a register, a long in memory (reg+offset), a constant, an unsigned byte register,
    // a negative short register and a string pointer (bpftrace 0.17 allows six on x86_64); tick
    // has a full 64-bit register.
    volatile long in_memory = 1000L * i - 7;
    unsigned char byte = (unsigned char)(200 + i);
    short negative = (short)(-300 - i);
    unsigned long wide = 0xffffffff00000001UL + (unsigned long)i;
    // On the stack: a string in a .rodata page the program never touched would read as "" in BPF.
    char name[8];
    snprintf(name, sizeof name, "%s", names[i]);
    __asm__ __volatile__(USDT_NOTE("sharptrace_test", "args", "0",
                                   "-4@%[i] 8@%[m] 4@$5 1@%[b] -2@%[s] 8@%[n]")
                         :
                         : [i] "r"(-5 - i), [m] "m"(in_memory), [b] "r"(byte), [s] "r"(negative), [n] "r"(name));
    __asm__ __volatile__(USDT_NOTE("other", "tick", "0", "-4@%[i] 8@%[w]") : : [i] "r"(i), [w] "r"(wide));
    // The same name under another provider: usdt:BIN:args is ambiguous, usdt:BIN:*:args is both.
    __asm__ __volatile__(USDT_NOTE("other", "args", "0", "") : :);
}

static int __attribute__((noinline)) fire_guarded(int i)
{
    if (!sharptrace_test_guarded_semaphore) return 0;
    __asm__ __volatile__(USDT_NOTE("sharptrace_test", "guarded", "sharptrace_test_guarded_semaphore", "-4@%[i]")
                         :
                         : [i] "r"(i * 10));
    return 1;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "wait") == 0) {
        printf("ready %d\n", getpid());
        fflush(stdout);
        char line[16];
        if (!fgets(line, sizeof line, stdin)) return 1;
    }
    int guarded = 0;
    for (int i = 0; i < 3; i++) {
        fire(i);
        guarded += fire_guarded(i);
    }
    if (argc > 1 && strcmp(argv[1], "wait") == 0) printf("done guarded=%d\n", guarded);
    else fprintf(stderr, "done guarded=%d\n", guarded);
    return 0;
}
