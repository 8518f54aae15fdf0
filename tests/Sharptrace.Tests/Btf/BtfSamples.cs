using Sharptrace.Bpf.Btf;

namespace Sharptrace.Tests.Btf;

/// <summary>A hand-built blob with every BTF kind, shared by the kind tests and the fuzzer.</summary>
internal static class BtfSamples
{
    public static BtfBlobBuilder AllKinds()
    {
        var b = new BtfBlobBuilder();
        var @int = b.Int("int", 4);                                        // 1
        var @char = b.Int("char", 1, BtfIntEncoding.Signed | BtfIntEncoding.Char); // 2
        var @uint = b.Int("unsigned int", 4, BtfIntEncoding.None);          // 3
        var charArray = b.Array(@char, @uint, 16);                          // 4
        var listHead = b.Struct("list_head", 16, ("next", 6, 0, 0), ("prev", 6, 64, 0)); // 5
        b.Ptr(listHead);                                                    // 6
        var flags = b.Struct("flags", 4, ("a", @uint, 0, 3), ("b", @uint, 3, 5)); // 7
        var inner = b.Struct(null, 8, ("x", @int, 0, 0), ("y", @int, 32, 0)); // 8
        var anonUnion = b.Union(null, 8, ("whole", 10, 0, 0), ("", inner, 0, 0)); // 9: whole is the long long at id 10
        b.Int("long long", 8);                                               // 10
        var task = b.Struct("task", 56, ("pid", @int, 0, 0), ("comm", charArray, 32, 0), ("", anonUnion, 192, 0), ("fl", flags, 256, 0),
            ("tasks", listHead, 320, 0)); // 11 (56 bytes: tasks at 40)
        b.Enum("color", 4, false, ("RED", 0), ("BIG", unchecked((int)0xffff_fff0u))); // 12
        b.Enum64("wide", 8, true, ("NEG", -5), ("HUGE", 1L << 40));         // 13
        b.Forward("opaque", union: false);                                   // 14
        b.Forward("uopaque", union: true);                                   // 15
        var pidT = b.Typedef("pid_t", @int);                                 // 16
        b.Volatile(@int);                                                    // 17
        var constChar = b.Const(@char);                                      // 18
        var constCharPtr = b.Ptr(constChar);                                 // 19
        b.Restrict(constCharPtr);                                            // 20
        var proto = b.FuncProto(@int, ("pid", pidT), ("name", constCharPtr)); // 21
        b.Func("do_thing", proto, BtfLinkage.Global);                        // 22
        var variable = b.Var("counter", @int, BtfLinkage.Global);            // 23
        b.DataSec(".data", 4, (variable, 0, 4));                             // 24
        b.Float("double", 8);                                                // 25
        b.DeclTag("kfunc", 22, -1);                                          // 26
        var user = b.TypeTag("user", @char);                                 // 27
        b.Ptr(user);                                                         // 28
        b.FuncProto(0, ("fmt", constCharPtr), ("", 0));                      // 29: int (*)(const char *, ...) minus the pointer
        b.Ptr(29);                                                           // 30
        b.Ptr(charArray);                                                    // 31: char (*)[16]
        b.Array(constCharPtr, @uint, 4);                                     // 32: const char *[4]
        var ptrToConstPtr = b.Const(constCharPtr);                           // 33: const char *const
        b.Ptr(ptrToConstPtr);                                                // 34: const char *const *
        return b;
    }
}
