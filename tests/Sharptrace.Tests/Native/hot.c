// A CPU burner with known shares: hot_a does 3 units of work for every 1 of hot_b, both reached
// through main -> run -> work_loop, so a profiler must show ~75% / ~25% and that chain.
// Usage: hot [seconds]   (default 1). Build with -O0 -fno-omit-frame-pointer: at -O1 gcc gives the
// leaf burners no frame, so the frame-pointer walk would skip work_loop.
#include <stdlib.h>
#include <time.h>

volatile unsigned long sink;

// Each burns in its own loop (no shared helper: -O1 would turn the call into a tail jump and the
// burner would vanish from the chain).
__attribute__((noinline, aligned(64))) void hot_a(void) { for (unsigned long i = 0; i < 3000000; i++) sink += i * 7; }
__attribute__((noinline, aligned(64))) void hot_b(void) { for (unsigned long i = 0; i < 1000000; i++) sink += i * 7; }

__attribute__((noinline)) void work_loop(double seconds)
{
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    do {
        hot_a();
        hot_b();
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while ((now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9 < seconds);
}

__attribute__((noinline)) void run(double seconds) { work_loop(seconds); }

int main(int argc, char **argv)
{
    run(argc > 1 ? atof(argv[1]) : 1.0);
    return 0;
}
