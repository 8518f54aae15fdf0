// Waits for a line on stdin (so the tracer can attach and take a baseline), then opens
// /dev/null argv[1] times with openat(2) and calls probe_target() argv[2] times.
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

__attribute__((noinline)) long probe_target(long x) {
    __asm__ volatile("" ::: "memory"); // keep the call and its return value
    return x * 3 + 1;
}

int main(int argc, char **argv) {
    int opens = argc > 1 ? atoi(argv[1]) : 0;
    int calls = argc > 2 ? atoi(argv[2]) : 0;
    char line[16];
    printf("ready %d\n", getpid());
    fflush(stdout);
    if (!fgets(line, sizeof line, stdin)) return 2;
    for (int i = 0; i < opens; i++) {
        int fd = openat(AT_FDCWD, "/dev/null", O_RDONLY);
        if (fd >= 0) close(fd);
    }
    long sum = 0;
    for (int i = 0; i < calls; i++) sum += probe_target(i);
    printf("done %ld\n", sum);
    return 0;
}
