// A self-stopping launcher like strace's re-executed helper: "held_launcher PATH ARGV0 ARGS..."
// stops itself, then on SIGCONT execs PATH with the argv given and the environment it got.
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 3) return 2;
    kill(getpid(), SIGSTOP);
    execv(argv[1], argv + 2);
    perror("execv");
    return 127;
}
