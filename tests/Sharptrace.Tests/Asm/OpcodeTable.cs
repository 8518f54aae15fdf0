using Sharptrace.Bpf.Asm;
using static Sharptrace.Bpf.Asm.Register;

namespace Sharptrace.Tests.Asm;

/// <summary>One builder call, the bytes it must produce and the verifier listing those bytes must disassemble to.</summary>
public sealed record OpcodeCase(string Name, Action<Assembler> Build, string Bytes, string Listing);

/// <summary>
/// Every opcode the kernel accepts, each built through the assembler API. Bytes follow
/// include/uapi/linux/bpf.h; listings follow print_bpf_insn in kernel/bpf/disasm.c.
/// </summary>
public static class OpcodeTable
{
    // Written out here rather than taken from the library so the test is an independent statement of the encoding.
    private static readonly (AluOp Op, byte Bits, string Symbol)[] BinaryAluOps =
    [
        (AluOp.Add, 0x00, "+="), (AluOp.Sub, 0x10, "-="), (AluOp.Mul, 0x20, "*="), (AluOp.Div, 0x30, "/="),
        (AluOp.Or, 0x40, "|="), (AluOp.And, 0x50, "&="), (AluOp.Lsh, 0x60, "<<="), (AluOp.Rsh, 0x70, ">>="),
        (AluOp.Mod, 0x90, "%="), (AluOp.Xor, 0xa0, "^="), (AluOp.Mov, 0xb0, "="), (AluOp.Arsh, 0xc0, "s>>="),
    ];

    private static readonly (JumpCondition Condition, byte Bits, string Symbol)[] Conditions =
    [
        (JumpCondition.Equal, 0x10, "=="), (JumpCondition.Greater, 0x20, ">"), (JumpCondition.GreaterOrEqual, 0x30, ">="),
        (JumpCondition.BitsSet, 0x40, "&"), (JumpCondition.NotEqual, 0x50, "!="), (JumpCondition.SignedGreater, 0x60, "s>"),
        (JumpCondition.SignedGreaterOrEqual, 0x70, "s>="), (JumpCondition.Less, 0xa0, "<"), (JumpCondition.LessOrEqual, 0xb0, "<="),
        (JumpCondition.SignedLess, 0xc0, "s<"), (JumpCondition.SignedLessOrEqual, 0xd0, "s<="),
    ];

    // Declared after the tables above because static fields initialize in order.
    public static readonly IReadOnlyList<OpcodeCase> Cases = BuildCases();

    public static OpcodeCase Find(string name) => Cases.Single(c => c.Name == name);

    private static List<OpcodeCase> BuildCases()
    {
        var cases = new List<OpcodeCase>();
        void Add(string name, Action<Assembler> build, string bytes, string text) =>
            cases.Add(new OpcodeCase(name, build, bytes, text.Contains('\n') ? text : "0: " + text));

        // ---- ALU64 and ALU, immediate and register forms
        foreach (var (op, bits, symbol) in BinaryAluOps)
        {
            Add($"alu64 {op} imm", a => a.Alu64(op, R1, 5), $"{bits | 0x07:x2} 01 00 00 05 00 00 00", $"({bits | 0x07:x2}) r1 {symbol} 5");
            Add($"alu64 {op} reg", a => a.Alu64(op, R1, R2), $"{bits | 0x0f:x2} 21 00 00 00 00 00 00", $"({bits | 0x0f:x2}) r1 {symbol} r2");
            Add($"alu32 {op} imm", a => a.Alu32(op, R1, 5), $"{bits | 0x04:x2} 01 00 00 05 00 00 00", $"({bits | 0x04:x2}) w1 {symbol} 5");
            Add($"alu32 {op} reg", a => a.Alu32(op, R1, R2), $"{bits | 0x0c:x2} 21 00 00 00 00 00 00", $"({bits | 0x0c:x2}) w1 {symbol} w2");
        }
        Add("mov64 imm r0,0", a => a.Mov64(R0, 0), "b7 00 00 00 00 00 00 00", "(b7) r0 = 0");
        Add("mov64 imm negative", a => a.Mov64(R1, -1), "b7 01 00 00 ff ff ff ff", "(b7) r1 = -1");
        Add("mov64 reg", a => a.Mov64(R6, R1), "bf 16 00 00 00 00 00 00", "(bf) r6 = r1");
        Add("mov32 imm", a => a.Mov32(R0, 7), "b4 00 00 00 07 00 00 00", "(b4) w0 = 7");
        Add("mov32 reg", a => a.Mov32(R0, R1), "bc 10 00 00 00 00 00 00", "(bc) w0 = w1");
        Add("add64 frame pointer", a => a.Alu64(AluOp.Add, R2, -8), "07 02 00 00 f8 ff ff ff", "(07) r2 += -8");
        Add("neg64", a => a.Neg64(R1), "87 01 00 00 00 00 00 00", "(87) r1 = -r1");
        Add("neg32", a => a.Neg32(R1), "84 01 00 00 00 00 00 00", "(84) w1 = -w1");
        Add("sdiv64 reg", a => a.SignedDiv64(R1, R2), "3f 21 01 00 00 00 00 00", "(3f) r1 s/= r2");
        Add("sdiv64 imm", a => a.SignedDiv64(R1, 5), "37 01 01 00 05 00 00 00", "(37) r1 s/= 5");
        Add("smod64 reg", a => a.SignedMod64(R1, R2), "9f 21 01 00 00 00 00 00", "(9f) r1 s%= r2");
        Add("smod64 imm", a => a.SignedMod64(R1, 5), "97 01 01 00 05 00 00 00", "(97) r1 s%= 5");
        Add("sdiv32 reg", a => a.SignedDiv32(R1, R2), "3c 21 01 00 00 00 00 00", "(3c) w1 s/= w2");
        Add("sdiv32 imm", a => a.SignedDiv32(R1, 5), "34 01 01 00 05 00 00 00", "(34) w1 s/= 5");
        Add("smod32 reg", a => a.SignedMod32(R1, R2), "9c 21 01 00 00 00 00 00", "(9c) w1 s%= w2");
        Add("smod32 imm", a => a.SignedMod32(R1, 5), "94 01 01 00 05 00 00 00", "(94) w1 s%= 5");
        Add("movsx64 s8", a => a.MovSignExtend64(R1, R2, 8), "bf 21 08 00 00 00 00 00", "(bf) r1 = (s8)r2");
        Add("movsx64 s16", a => a.MovSignExtend64(R1, R2, 16), "bf 21 10 00 00 00 00 00", "(bf) r1 = (s16)r2");
        Add("movsx64 s32", a => a.MovSignExtend64(R1, R2, 32), "bf 21 20 00 00 00 00 00", "(bf) r1 = (s32)r2");
        Add("movsx32 s8", a => a.MovSignExtend32(R1, R2, 8), "bc 21 08 00 00 00 00 00", "(bc) w1 = (s8)w2");
        Add("movsx32 s16", a => a.MovSignExtend32(R1, R2, 16), "bc 21 10 00 00 00 00 00", "(bc) w1 = (s16)w2");
        Add("addr_space_cast", a => a.Emit(new Instruction(0xbf, 1, 2, 1, 1)), "bf 21 01 00 01 00 00 00", "(bf) r1 = addr_space_cast(r2, 0, 1)");
        foreach (var bits in new[] { 16, 32, 64 })
        {
            Add($"be{bits}", a => a.ToBigEndian(R1, bits), $"dc 01 00 00 {bits:x2} 00 00 00", $"(dc) r1 = be{bits} r1");
            Add($"le{bits}", a => a.ToLittleEndian(R1, bits), $"d4 01 00 00 {bits:x2} 00 00 00", $"(d4) r1 = le{bits} r1");
            Add($"bswap{bits}", a => a.ByteSwap(R1, bits), $"d7 01 00 00 {bits:x2} 00 00 00", $"(d7) r1 = bswap{bits} r1");
        }

        // ---- loads and stores
        foreach (var (size, bits, name) in new[] { (Size.Byte, 0x10, "u8"), (Size.Half, 0x08, "u16"), (Size.Word, 0x00, "u32"), (Size.DWord, 0x18, "u64") })
        {
            Add($"ldx {name}", a => a.LoadMem(size, R1, R2, 2), $"{0x61 | bits:x2} 21 02 00 00 00 00 00", $"({0x61 | bits:x2}) r1 = *({name} *)(r2 +2)");
            Add($"st {name}", a => a.StoreImm(size, R10, -4, 7), $"{0x62 | bits:x2} 0a fc ff 07 00 00 00", $"({0x62 | bits:x2}) *({name} *)(r10 -4) = 7");
            Add($"stx {name}", a => a.StoreMem(size, R10, -4, R1), $"{0x63 | bits:x2} 1a fc ff 00 00 00 00", $"({0x63 | bits:x2}) *({name} *)(r10 -4) = r1");
            Add($"load_acquire {name}", a => a.Atomic(AtomicOp.LoadAcquire, size, R1, 0, R2), $"{0xc3 | bits:x2} 21 00 00 00 01 00 00", $"({0xc3 | bits:x2}) r1 = load_acquire(({name} *)(r2 +0))");
            Add($"store_release {name}", a => a.Atomic(AtomicOp.StoreRelease, size, R1, 0, R2), $"{0xc3 | bits:x2} 21 00 00 10 01 00 00", $"({0xc3 | bits:x2}) store_release(({name} *)(r1 +0), r2)");
        }
        Add("ldx u64 stack", a => a.LoadMem(Size.DWord, R1, R10, -8), "79 a1 f8 ff 00 00 00 00", "(79) r1 = *(u64 *)(r10 -8)");
        Add("ldsx s8", a => a.LoadMemSignExtend(Size.Byte, R1, R2, 0), "91 21 00 00 00 00 00 00", "(91) r1 = *(s8 *)(r2 +0)");
        Add("ldsx s16", a => a.LoadMemSignExtend(Size.Half, R1, R2, 0), "89 21 00 00 00 00 00 00", "(89) r1 = *(s16 *)(r2 +0)");
        Add("ldsx s32", a => a.LoadMemSignExtend(Size.Word, R1, R2, -4), "81 21 fc ff 00 00 00 00", "(81) r1 = *(s32 *)(r2 -4)");
        foreach (var (size, name, opcode, bits) in new[] { (Size.Word, "u32", "c3", ""), (Size.DWord, "u64", "db", "64") })
        {
            Add($"lock add {name}", a => a.Atomic(AtomicOp.Add, size, R1, 0, R2), $"{opcode} 21 00 00 00 00 00 00", $"({opcode}) lock *({name} *)(r1 +0) += r2");
            Add($"lock or {name}", a => a.Atomic(AtomicOp.Or, size, R1, 8, R2), $"{opcode} 21 08 00 40 00 00 00", $"({opcode}) lock *({name} *)(r1 +8) |= r2");
            Add($"lock and {name}", a => a.Atomic(AtomicOp.And, size, R1, 0, R2), $"{opcode} 21 00 00 50 00 00 00", $"({opcode}) lock *({name} *)(r1 +0) &= r2");
            Add($"lock xor {name}", a => a.Atomic(AtomicOp.Xor, size, R1, 0, R2), $"{opcode} 21 00 00 a0 00 00 00", $"({opcode}) lock *({name} *)(r1 +0) ^= r2");
            Add($"fetch_add {name}", a => a.Atomic(AtomicOp.FetchAdd, size, R1, 0, R0), $"{opcode} 01 00 00 01 00 00 00", $"({opcode}) r0 = atomic{bits}_fetch_add(({name} *)(r1 +0), r0)");
            Add($"fetch_or {name}", a => a.Atomic(AtomicOp.FetchOr, size, R1, 0, R2), $"{opcode} 21 00 00 41 00 00 00", $"({opcode}) r2 = atomic{bits}_fetch_or(({name} *)(r1 +0), r2)");
            Add($"fetch_and {name}", a => a.Atomic(AtomicOp.FetchAnd, size, R1, 0, R2), $"{opcode} 21 00 00 51 00 00 00", $"({opcode}) r2 = atomic{bits}_fetch_and(({name} *)(r1 +0), r2)");
            Add($"fetch_xor {name}", a => a.Atomic(AtomicOp.FetchXor, size, R1, 0, R2), $"{opcode} 21 00 00 a1 00 00 00", $"({opcode}) r2 = atomic{bits}_fetch_xor(({name} *)(r1 +0), r2)");
            Add($"xchg {name}", a => a.Atomic(AtomicOp.Exchange, size, R1, -8, R2), $"{opcode} 21 f8 ff e1 00 00 00", $"({opcode}) r2 = atomic{bits}_xchg(({name} *)(r1 -8), r2)");
            Add($"cmpxchg {name}", a => a.Atomic(AtomicOp.CompareExchange, size, R1, 0, R2), $"{opcode} 21 00 00 f1 00 00 00", $"({opcode}) r0 = atomic{bits}_cmpxchg(({name} *)(r1 +0), r0, r2)");
        }
        foreach (var (size, name, abs, ind) in new[] { (Size.Byte, "u8", "30", "50"), (Size.Half, "u16", "28", "48"), (Size.Word, "u32", "20", "40") })
        {
            Add($"ld_abs {name}", a => a.LoadPacketAbsolute(size, 14), $"{abs} 00 00 00 0e 00 00 00", $"({abs}) r0 = *({name} *)skb[14]");
            Add($"ld_ind {name}", a => a.LoadPacketIndirect(size, R2, 4), $"{ind} 20 00 00 04 00 00 00", $"({ind}) r0 = *({name} *)skb[r2 + 4]");
        }

        // ---- ld_imm64: two slots, one listing line
        Add("ld_imm64", a => a.LoadImm64(R1, 0x1234), "18 01 00 00 34 12 00 00 00 00 00 00 00 00 00 00", "(18) r1 = 0x1234");
        Add("ld_imm64 full", a => a.LoadImm64(R2, 0x1122334455667788), "18 02 00 00 88 77 66 55 00 00 00 00 44 33 22 11", "(18) r2 = 0x1122334455667788");
        Add("ld_imm64 -1", a => a.LoadImm64(R1, -1), "18 01 00 00 ff ff ff ff 00 00 00 00 ff ff ff ff", "(18) r1 = 0xffffffffffffffff");
        Add("ld_imm64 map fd", a => a.LoadMapFd(R1, 5), "18 11 00 00 05 00 00 00 00 00 00 00 00 00 00 00", "(18) r1 = 0x5");
        Add("ld_imm64 map value", a => a.LoadMapValue(R1, 5, 16), "18 21 00 00 05 00 00 00 00 00 00 00 10 00 00 00", "(18) r1 = 0x1000000005");
        Add("ld_imm64 btf id", a => a.LoadBtfId(R1, 42), "18 31 00 00 2a 00 00 00 00 00 00 00 00 00 00 00", "(18) r1 = 0x2a");
        Add("ld_imm64 map idx", a => a.LoadMapIndex(R1, 3), "18 51 00 00 03 00 00 00 00 00 00 00 00 00 00 00", "(18) r1 = 0x3");
        Add("ld_imm64 map idx value", a => a.LoadMapIndexValue(R1, 1, 8), "18 61 00 00 01 00 00 00 00 00 00 00 08 00 00 00", "(18) r1 = 0x800000001");
        Add("ld_imm64 func", a =>
        {
            var callback = a.DefineLabel();
            a.LoadFunctionAddress(R2, callback);
            a.Exit();
            a.MarkLabel(callback);
            a.Exit();
        }, "18 42 00 00 02 00 00 00 00 00 00 00 00 00 00 00 95 00 00 00 00 00 00 00 95 00 00 00 00 00 00 00",
            "0: (18) r2 = 0x2\n2: (95) exit\n3: (95) exit");

        // ---- jumps: immediate forms jump back onto themselves (pc-1), register forms to the next instruction (pc+0)
        foreach (var (condition, bits, symbol) in Conditions)
        {
            foreach (var (cls, width, kOpcode, xOpcode) in new[] { ("jmp", 'r', bits | 0x05, bits | 0x0d), ("jmp32", 'w', bits | 0x06, bits | 0x0e) })
            {
                var is32 = cls == "jmp32";
                Add($"{cls} {condition} imm", a =>
                {
                    var self = a.MarkNewLabel();
                    if (is32) a.JumpIf32(condition, R1, -2, self); else a.JumpIf(condition, R1, -2, self);
                }, $"{kOpcode:x2} 01 ff ff fe ff ff ff", $"({kOpcode:x2}) if {width}1 {symbol} 0xfffffffe goto pc-1");
                Add($"{cls} {condition} reg", a =>
                {
                    var next = a.DefineLabel();
                    if (is32) a.JumpIf32(condition, R1, R2, next); else a.JumpIf(condition, R1, R2, next);
                    a.MarkLabel(next);
                }, $"{xOpcode:x2} 21 00 00 00 00 00 00", $"({xOpcode:x2}) if {width}1 {symbol} {width}2 goto pc+0");
            }
        }
        Add("ja", a =>
        {
            var end = a.DefineLabel();
            a.Jump(end);
            a.Exit();
            a.MarkLabel(end);
            a.Exit();
        }, "05 00 01 00 00 00 00 00 95 00 00 00 00 00 00 00 95 00 00 00 00 00 00 00", "0: (05) goto pc+1\n1: (95) exit\n2: (95) exit");
        Add("gotol", a => a.JumpLong(a.MarkNewLabel()), "06 00 00 00 ff ff ff ff", "(06) gotol pc-1");
        Add("may_goto", a =>
        {
            var next = a.DefineLabel();
            a.MayGoto(next);
            a.MarkLabel(next);
        }, "e5 00 00 00 00 00 00 00", "(e5) may_goto pc+0");
        Add("call helper", a => a.Call(BpfHelper.MapLookupElem), "85 00 00 00 01 00 00 00", "(85) call bpf_map_lookup_elem#1");
        Add("call probe_read_kernel", a => a.Call(BpfHelper.ProbeReadKernel), "85 00 00 00 71 00 00 00", "(85) call bpf_probe_read_kernel#113");
        Add("call ringbuf_output", a => a.Call(BpfHelper.RingbufOutput), "85 00 00 00 82 00 00 00", "(85) call bpf_ringbuf_output#130");
        Add("call unknown helper", a => a.Call((BpfHelper)9999), "85 00 00 00 0f 27 00 00", "(85) call unknown#9999");
        Add("call kfunc", a => a.CallKfunc(1234), "85 20 00 00 d2 04 00 00", "(85) call kernel-function#1234");
        Add("call subprogram", a =>
        {
            var function = a.DefineLabel();
            a.CallLabel(function);
            a.Exit();
            a.MarkLabel(function);
            a.Exit();
        }, "85 10 00 00 01 00 00 00 95 00 00 00 00 00 00 00 95 00 00 00 00 00 00 00", "0: (85) call pc+1\n1: (95) exit\n2: (95) exit");
        Add("exit", a => a.Exit(), "95 00 00 00 00 00 00 00", "(95) exit");

        // ---- what the kernel prints for encodings it does not know
        Add("nospec", a => a.Emit(new Instruction(0xc2, 0, 0, 0, 0)), "c2 00 00 00 00 00 00 00", "(c2) nospec");
        Add("bad ldx mode", a => a.Emit(new Instruction(0x21, 1, 2, 0, 0)), "21 21 00 00 00 00 00 00", "BUG_ldx_21");
        Add("bad st mode", a => a.Emit(new Instruction(0x42, 1, 0, 0, 0)), "42 01 00 00 00 00 00 00", "BUG_st_42");
        Add("bad stx mode", a => a.Emit(new Instruction(0x23, 1, 2, 0, 0)), "23 21 00 00 00 00 00 00", "BUG_23");
        Add("bad atomic op", a => a.Emit(new Instruction(0xdb, 1, 2, 0, 0x02)), "db 21 00 00 02 00 00 00", "BUG_db");
        Add("bad ld mode", a => a.Emit(new Instruction(0x60, 1, 2, 0, 0)), "60 21 00 00 00 00 00 00", "BUG_ld_60");
        return cases;
    }

    /// <summary>
    /// Every opcode the kernel's instruction table accepts (BPF_INSN_MAP in kernel/bpf/core.c plus
    /// the verifier's JMP32/JCOND/atomic/MEMSX forms), so the coverage test can demand one case each.
    /// </summary>
    public static IEnumerable<byte> ValidOpcodes()
    {
        foreach (var cls in new byte[] { 0x04, 0x07 })
        {
            foreach (var op in new byte[] { 0x00, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x90, 0xa0, 0xb0, 0xc0 })
            {
                yield return (byte)(cls | op);
                yield return (byte)(cls | op | 0x08);
            }
            yield return (byte)(cls | 0x80); // neg
        }
        yield return 0xd4; // le
        yield return 0xdc; // be
        yield return 0xd7; // bswap
        foreach (var cls in new byte[] { 0x05, 0x06 })
        {
            yield return cls; // ja, gotol
            foreach (var op in new byte[] { 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0xa0, 0xb0, 0xc0, 0xd0 })
            {
                yield return (byte)(cls | op);
                yield return (byte)(cls | op | 0x08);
            }
        }
        yield return 0x85; // call
        yield return 0x95; // exit
        yield return 0xe5; // may_goto
        foreach (var size in new byte[] { 0x00, 0x08, 0x10, 0x18 })
        {
            yield return (byte)(0x61 | size); // ldx
            yield return (byte)(0x62 | size); // st
            yield return (byte)(0x63 | size); // stx
            yield return (byte)(0xc3 | size); // atomic (b/h only for load-acquire and store-release)
            if (size != 0x18)
            {
                yield return (byte)(0x81 | size); // ldsx
                yield return (byte)(0x20 | size); // ld_abs
                yield return (byte)(0x40 | size); // ld_ind
            }
        }
        yield return 0x18; // ld_imm64
    }
}
