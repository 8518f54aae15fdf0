// The SystemTap SDT note that <sys/sdt.h> writes for a probe (not installed on the test machines):
// a NOP instruction at the probe site, a .note.stapsdt entry with its address, the .stapsdt.base
// address (to compute the load bias), the semaphore's address (0: none), provider, name and the
// argument specs ("SIZE@OPERAND" each); gcc fills the operands from the asm's constraints.
#ifndef USDT_NOTE_H
#define USDT_NOTE_H

#define USDT_NOTE_FULL(nop, provider, name, semaphore, args)                          \
    "990: " nop "\n"                                                                 \
    ".pushsection .note.stapsdt,\"?\",\"note\"\n"                                    \
    ".balign 4\n"                                                                    \
    ".4byte 992f-991f, 994f-993f, 3\n"                                               \
    "991: .asciz \"stapsdt\"\n"                                                      \
    "992: .balign 4\n"                                                               \
    "993: .8byte 990b\n"                                                             \
    ".8byte _.stapsdt.base\n"                                                        \
    ".8byte " semaphore "\n"                                                         \
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

#endif
