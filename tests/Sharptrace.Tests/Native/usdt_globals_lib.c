// The shared library of usdt_globals.c (built -O2 -fPIC -shared): a probe whose argument is a
// file-local static, which gcc addresses relative to %rip in position-independent code, so the
// tracer must add the library's own load bias (it is mapped far from the program).
#include "usdt_note.h"

#define USDT_NOTE(provider, name, args) USDT_NOTE_FULL("nop", provider, name, "0", args)

static long library_total = 5;

int sharptrace_library_fire(int i)
{
    library_total = library_total * 3 + i;
    __asm__ __volatile__(USDT_NOTE("globals", "library", "8@%[t] -4@%[i]") : : [t] "m"(library_total), [i] "r"(i));
    return (int)library_total;
}
