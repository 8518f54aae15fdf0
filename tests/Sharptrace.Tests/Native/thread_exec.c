// A second thread (not the leader) execs /bin/echo while the main thread waits: the kernel gives
// the exec'ing thread the process id and ends the leader. Tracers must follow the exec.
#include <pthread.h>
#include <unistd.h>

static void *run(void *arg)
{
    (void)arg;
    char *argv[] = {"echo", "from-thread", 0};
    execv("/bin/echo", argv);
    return 0;
}

int main(void)
{
    pthread_t thread;
    pthread_create(&thread, 0, run, 0);
    pthread_join(thread, 0);
    return 1;
}
