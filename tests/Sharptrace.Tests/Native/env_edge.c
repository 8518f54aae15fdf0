/* An execve whose environment array ends on the last bytes of a page followed by an unmapped one
   (as a launcher's heap can be): the tracer must count its entries without reading past the NULL.
   Five variables, so strace and sharptrace both print "5 vars". The path and argv live on the
   stack, which is touched: eBPF cannot read a page the program never faulted in. */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
    long page = sysconf(_SC_PAGESIZE);
    char *area = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (area == MAP_FAILED) return 1;
    munmap(area + page, page);
    char a[] = "A=1", b[] = "B=2", c[] = "C=3", d[] = "D=4", e[] = "E=5";
    char **envp = (char **)(area + page) - 6;
    envp[0] = a; envp[1] = b; envp[2] = c; envp[3] = d; envp[4] = e; envp[5] = NULL;
    char path[] = "/bin/true", name[] = "true";
    char *argv[] = { name, NULL };
    execve(path, argv, envp);
    return 127;
}
