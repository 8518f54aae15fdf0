// Test target for ftrace and probe tests: "ftrace_target N" makes N write(2) calls of 7 bytes to
// /dev/null and N calls of probe_me(i, i * 1000, "sharp") (a uprobe target with known arguments).
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

__attribute__((noinline)) long probe_me(int index, long scaled, const char *word)
{
    __asm__ volatile("" ::: "memory");
    return index + scaled + word[0];
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 10;
    int fd = open("/dev/null", O_WRONLY);
    long sum = 0;
    for (int i = 0; i < n; i++) {
        if (write(fd, "1234567", 7) != 7) return 1;
        sum += probe_me(i, (long)i * 1000, "sharp");
    }
    close(fd);
    printf("done %d %ld\n", getpid(), sum);
    return 0;
}
