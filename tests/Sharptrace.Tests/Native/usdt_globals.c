// USDT probes whose arguments are global variables, written the way <sys/sdt.h> writes them
// (usdt_note.h). Built -O2 -fPIE, gcc prints a global memory operand relative to %rip with the
// symbol's name in it ("8@sharptrace_counter(%rip)", "4@sharptrace_table+8(%rip)"): the tracer
// finds the symbol's link-time address in the ELF and adds the load bias at run time.
//
// usdt_globals [wait] [LIBRARY]: loads LIBRARY (built from usdt_globals_lib.c) with dlopen when
// given; with "wait", prints "ready PID" and waits for a line on stdin; then three times updates
// the globals and fires globals:update (and the library's globals:library); prints each round's
// values as "round I C H T L P" (stdout with "wait", else stderr) and ends with "done"; operands:indexed
// reads an array element through two registers.
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "usdt_note.h"

#define USDT_NOTE(provider, name, args) USDT_NOTE_AT("nop", provider, name, args)
#define USDT_NOTE_AT(nop, provider, name, args) USDT_NOTE_FULL(nop, provider, name, "0", args)

// A global (in .data, so that its page is in memory), a file-local static (a LOCAL symbol in
// .symtab) and an array whose third element gcc names as symbol+offset.
long sharptrace_counter = 1000;
static int sharptrace_hits = -1;
int sharptrace_table[4] = {1, 2, 3, 4};

static int (*library_fire)(int);

static void __attribute__((noinline)) update(int i)
{
    sharptrace_counter += 111 * (i + 1);
    sharptrace_hits -= 2;
    sharptrace_table[2] = 10 * i + 7;
    // "m" makes gcc print the variables' memory operands; sys/sdt.h's "nor" lets it choose the same.
    __asm__ __volatile__(USDT_NOTE("globals", "update", "8@%[c] -4@%[h] 4@%[t] -4@%[i]")
                         :
                         : [c] "m"(sharptrace_counter), [h] "m"(sharptrace_hits), [t] "m"(sharptrace_table[2]), [i] "r"(i));
    // The same on a 5-byte nop, which Linux 6.18 on x86 may turn into a call to a trampoline after
    // the first hit: the handlers must still see the probe's address as ip.
    __asm__ __volatile__(USDT_NOTE_AT(".byte 0x0f, 0x1f, 0x44, 0x00, 0x00", "operands", "nop5", "8@%[c] -4@%[i]") : : [c] "m"(sharptrace_counter), [i] "r"(i));
}

// An element of an array on the stack through a base and an index register: gcc prints
// "-72(%rsp,%rdi,4)". noipa keeps gcc from specialising the function for its one caller.
static int __attribute__((noipa)) pick(const int *values, long i)
{
    volatile int copy[8];
    for (int k = 0; k < 8; k++) copy[k] = values[k % 4];
    __asm__ __volatile__(USDT_NOTE("operands", "indexed", "-4@%[v] 8@%[i]") : : [v] "m"(copy[i]), [i] "r"(i));
    return copy[i];
}

int main(int argc, char **argv)
{
    int wait = argc > 1 && strcmp(argv[1], "wait") == 0;
    const char *library = argc > 1 + wait ? argv[1 + wait] : NULL;
    FILE *out = wait ? stdout : stderr;
    if (library) {
        void *handle = dlopen(library, RTLD_NOW);
        if (!handle || !(library_fire = (int (*)(int))dlsym(handle, "sharptrace_library_fire"))) {
            fprintf(stderr, "dlopen %s: %s\n", library, dlerror());
            return 1;
        }
    }
    if (wait) {
        printf("ready %d\n", getpid());
        fflush(stdout);
        char line[16];
        if (!fgets(line, sizeof line, stdin)) return 1;
    }
    for (int i = 0; i < 3; i++) {
        update(i);
        int in_library = library_fire ? library_fire(i) : 0;
        int picked = pick(sharptrace_table, i);
        fprintf(out, "round %d %ld %d %d %d %d\n", i, sharptrace_counter, sharptrace_hits, sharptrace_table[2], in_library, picked);
    }
    fprintf(out, "done\n");
    return 0;
}
