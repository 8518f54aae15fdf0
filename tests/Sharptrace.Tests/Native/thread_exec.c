// A second thread (not the leader) execs /bin/echo while the main thread waits: the kernel gives
// the exec'ing thread the process id and ends the leader. Tracers must follow the exec.
#include <pthread.h>
#include <unistd.h>

static void *run(void *arg)
{
    (void)arg;
    // The strings are on the stack, as a shell's or runtime's are in memory it has used: a string
    // literal may sit in a page of the binary never touched, which the eBPF backend cannot read at
    // the call's entry (it cannot fault pages in; strace's ptrace reads can): that case prints the
    // pointer, a known deviation of the eBPF backend.
    char path[] = "/bin/echo", name[] = "echo", word[] = "from-thread";
    char *argv[] = {name, word, 0};
    execv(path, argv);
    return 0;
}

int main(void)
{
    pthread_t thread;
    pthread_create(&thread, 0, run, 0);
    pthread_join(thread, 0);
    return 1;
}
