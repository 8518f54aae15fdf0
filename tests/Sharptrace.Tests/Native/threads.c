/* A multithreaded program for `strace -f`: four threads each write one line, then the main
   thread joins them. Each thread's own calls are in a fixed order; only the interleaving is
   the scheduler's. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *work(void *arg)
{
    char line[32];
    int n = snprintf(line, sizeof line, "thread %ld\n", (long)arg);
    write(1, line, n);
    return NULL;
}

int main(void)
{
    pthread_t threads[4];
    for (long i = 0; i < 4; i++) pthread_create(&threads[i], NULL, work, (void *)i);
    for (int i = 0; i < 4; i++) pthread_join(threads[i], NULL);
    write(1, "done\n", 5);
    return 0;
}
