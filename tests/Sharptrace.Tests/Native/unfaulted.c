// unfaulted: calls openat and statfs on a path literal that sits alone in a page of the binary no
// one has touched (256 KiB of untouched data on each side, beyond the kernel's fault-around), so
// that at the calls' entry the page is not mapped and eBPF cannot copy the string (it cannot take
// the page fault; the call itself does). Prints "mapped N" on stderr: whether the page was
// present just before the first call (from /proc/self/pagemap, which does not fault it in).
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/statfs.h>
#include <unistd.h>

__attribute__((section(".rodata.unfaulted_pad1"), used)) static const char pad1[256 << 10] = {1};
__attribute__((section(".rodata.unfaulted_path"), aligned(4096), used)) static const char path[] = "/nonexistent/sharptrace-unfaulted";
__attribute__((section(".rodata.unfaulted_pad2"), used)) static const char pad2[256 << 10] = {2};

static int present(const void *address)
{
    int fd = open("/proc/self/pagemap", O_RDONLY);
    if (fd < 0) return -1;
    uint64_t entry = 0;
    long page = sysconf(_SC_PAGESIZE);
    ssize_t n = pread(fd, &entry, sizeof entry, (off_t)((uintptr_t)address / page * sizeof entry));
    close(fd);
    return n == sizeof entry ? (int)(entry >> 63) : -1;
}

int main(void)
{
    fprintf(stderr, "mapped %d\n", present(path));
    int fd = openat(AT_FDCWD, path, O_RDONLY);
    struct statfs buffer;
    int r = statfs(path + 12, &buffer); // "/sharptrace-unfaulted": now mapped, for comparison
    return fd < 0 && r < 0 ? 0 : 1;
}
