// Makes system calls with known arguments and results for the syscalls tracepoint tests: opens
// itself, seeks to 12345 (lseek returns the offset), closes, and opens a missing file (-ENOENT).
#include <fcntl.h>
#include <unistd.h>

int main(int argc, char **argv) {
    (void)argc;
    int fd = openat(AT_FDCWD, argv[0], O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 1;
    lseek(fd, 12345, SEEK_SET);
    close(fd);
    // On the stack, so that the page is present when the probe reads the name (no fault in BPF).
    char missing[] = "/nonexistent/sharptrace";
    return openat(AT_FDCWD, missing, O_RDONLY) < 0 ? 0 : 1;
}
