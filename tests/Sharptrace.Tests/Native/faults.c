// perf stat's known workload: touches argv[1] fresh pages (one page fault each), sleeps argv[2]
// times for 1 ms (one context switch each) and calls getppid argv[3] times (exact tracepoint count).
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long pages = argc > 1 ? atol(argv[1]) : 0, sleeps = argc > 2 ? atol(argv[2]) : 0, calls = argc > 3 ? atol(argv[3]) : 0;
    long size = sysconf(_SC_PAGESIZE);
    char *memory = mmap(NULL, pages * size + size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) return 2;
    for (long i = 0; i < pages; i++) memory[i * size] = 1;
    struct timespec ms = {0, 1000000};
    for (long i = 0; i < sleeps; i++) nanosleep(&ms, NULL);
    for (long i = 0; i < calls; i++) syscall(SYS_getppid);
    return 0;
}
