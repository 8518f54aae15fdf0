// Compat system calls through int $0x80, built two ways (no libc): -m32 (a 32-bit process) and
// 64-bit (a 64-bit process using the 32-bit entry). It makes ia32 call 257, which is openat's
// number on x86_64 (a syscalls tracepoint must not take it for openat), then ia32 exit (1).
void _start(void) {
    long ret;
    __asm__ volatile("int $0x80" : "=a"(ret) : "a"(257L), "b"(-100L), "c"(0L), "d"(0L) : "memory");
    __asm__ volatile("int $0x80" : : "a"(1L), "b"(0L));
}
