// A function taking pointers to C structs, for scripts that define the same structs and read them
// through casts: ((struct foo *)arg0)->name. The layouts need C's alignment padding: a char before
// an int, a short at the end, an embedded struct, an array of ints.
#include <stdio.h>
#include <string.h>

struct foo {
    int a;
    char name[16];
    unsigned long b;
    short c;
};

struct bar {
    char tag;
    struct foo inner;
    int tail[3];
};

void __attribute__((noinline)) take(struct foo *f, struct bar *b)
{
    __asm__ __volatile__("" : : "r"(f), "r"(b) : "memory");
}

int main(void)
{
    struct foo f = {.a = -42, .b = 0x1122334455667788UL, .c = -7};
    strcpy(f.name, "sharptrace");
    struct bar b = {.tag = 'x', .inner = {.a = 7, .b = 99, .c = 3}, .tail = {10, 20, 30}};
    strcpy(b.inner.name, "inner");
    take(&f, &b);
    return 0;
}
