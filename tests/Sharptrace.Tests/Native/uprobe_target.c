// uprobe_target [wait]: with "wait", prints "ready PID" and waits for a line on stdin; then calls
// add(i, 10 * i) for i = 1..100 (arguments sum to 5050 and 50500, return values to 55550) and
// scale(i) (a static function: in a stripped copy, only its debug file names it) as often, and
// ends with "done SUM" on stdout.
#include <stdio.h>
#include <string.h>
#include <unistd.h>

__attribute__((noinline)) long add(long a, long b)
{
    __asm__ __volatile__("");
    return a + b;
}

static __attribute__((noinline)) long scale(long x)
{
    __asm__ __volatile__("");
    return 3 * x;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "wait") == 0) {
        printf("ready %d\n", getpid());
        fflush(stdout);
        char line[16];
        if (!fgets(line, sizeof line, stdin)) return 1;
    }
    long sum = 0;
    for (long i = 1; i <= 100; i++) sum += add(i, 10 * i) + scale(i);
    printf("done %ld\n", sum);
    return 0;
}
