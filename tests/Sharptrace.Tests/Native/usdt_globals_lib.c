// The shared library of usdt_globals.c (built -O2 -fPIC -shared): a probe whose argument is a
// file-local static, which gcc addresses relative to %rip in position-independent code, so the
// tracer must add the library's own load bias (it is mapped far from the program).
#define USDT_NOTE(provider, name, args)                                              \
    "990: nop\n"                                                                     \
    ".pushsection .note.stapsdt,\"?\",\"note\"\n"                                    \
    ".balign 4\n"                                                                    \
    ".4byte 992f-991f, 994f-993f, 3\n"                                               \
    "991: .asciz \"stapsdt\"\n"                                                      \
    "992: .balign 4\n"                                                               \
    "993: .8byte 990b\n"                                                             \
    ".8byte _.stapsdt.base\n"                                                        \
    ".8byte 0\n"                                                                     \
    ".asciz \"" provider "\"\n"                                                      \
    ".asciz \"" name "\"\n"                                                          \
    ".asciz \"" args "\"\n"                                                          \
    "994: .balign 4\n"                                                               \
    ".popsection\n"                                                                  \
    ".ifndef _.stapsdt.base\n"                                                       \
    ".pushsection .stapsdt.base,\"aG\",\"progbits\",.stapsdt.base,comdat\n"          \
    ".weak _.stapsdt.base\n"                                                         \
    ".hidden _.stapsdt.base\n"                                                       \
    "_.stapsdt.base: .space 1\n"                                                     \
    ".size _.stapsdt.base, 1\n"                                                      \
    ".popsection\n"                                                                  \
    ".endif\n"

static long library_total = 5;

int sharptrace_library_fire(int i)
{
    library_total = library_total * 3 + i;
    __asm__ __volatile__(USDT_NOTE("globals", "library", "8@%[t] -4@%[i]") : : [t] "m"(library_total), [i] "r"(i));
    return (int)library_total;
}
