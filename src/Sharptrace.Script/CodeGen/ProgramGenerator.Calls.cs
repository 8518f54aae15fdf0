using Sharptrace.Bpf.Asm;
using Sharptrace.Script.Semantics;
using Sharptrace.Script.Syntax.Ast;

namespace Sharptrace.Script.CodeGen;

internal sealed partial class ProgramGenerator
{
    private void EmitCallStatement(Call call)
    {
        switch (call.Name)
        {
            case "printf" or "system" or "cat": EmitPrintf(call); break;
            case "debugf": EmitDebugf(call); break;
            case "signal":
            {
                var signal = call.Arguments[0] is StringLiteral name ? TypeChecker.SignalNumber(name.Value)!.Value : 0;
                if (call.Arguments[0] is not StringLiteral) EmitInt(call.Arguments[0]);
                else LoadConstant(Register.R0, signal);
                asm.Mov64(Register.R1, Register.R0);
                asm.Call(BpfHelper.SendSignal);
                break;
            }
            case "override":
                // bpf_override_return(ctx, rc): the probed function returns rc without running (kprobe only, --unsafe).
                EmitInt(call.Arguments[0]);
                asm.Mov64(Register.R2, Register.R0);
                asm.Mov64(Register.R1, Ctx);
                asm.Call(BpfHelper.OverrideReturn);
                break;
            case "exit":
                EmitSetExiting();
                EmitEvent(EventIds.Exit, call);
                asm.Jump(exitLabel);
                terminated = true;
                break;
            case "print" when call.Arguments[0] is MapAccess target:
            {
                var top = call.Arguments.Count > 1 ? (long)((IntegerLiteral)call.Arguments[1]).Value : 0;
                var div = call.Arguments.Count > 2 ? (long)((IntegerLiteral)call.Arguments[2]).Value : 1;
                EmitEvent(EventIds.PrintMapBase + (ulong)MapIndex(target.Name), call, top, div);
                break;
            }
            case "print":
            {
                // print(value): the value travels in a printf-like record whose format is the value's type.
                EmitPrintValue(call);
                break;
            }
            case "time": EmitEvent(EventIds.TimeBase + (ulong)CallIndex(script, "time", call), call); break;
            case "join": EmitJoin(call); break;
            case "clear": EmitEvent(EventIds.ClearMapBase + (ulong)MapIndex(((MapAccess)call.Arguments[0]).Name), call); break;
            case "zero": EmitEvent(EventIds.ZeroMapBase + (ulong)MapIndex(((MapAccess)call.Arguments[0]).Name), call); break;
            case "delete":
            {
                var map = (MapAccess)call.Arguments[0];
                var info = script.Maps[map.Name];
                var key = EmitKey(map, info);
                asm.LoadMapFd(Register.R1, MapFd(map.Name));
                StackPointer(Register.R2, key);
                asm.Call(BpfHelper.MapDeleteElem);
                break;
            }
            default:
                if (call.Type.IsOnStack) EmitToStack(call, frame.Allocate(call.Type.Size, call.Span));
                else EmitInt(call);
                break;
        }
    }

    private void EmitCallValue(Call call)
    {
        switch (call.Name)
        {
            case "kstack":
                EmitStackId(user: false);
                break;
            case "ksym":
                EmitInt(call.Arguments[0]);
                break;
            case "strftime":
                EmitInt(call.Arguments[1]);
                break;
            case "strcontains":
                EmitStrContains(call);
                break;
            case "cgroupid":
                // Resolved when type-checked, as kaddr.
                LoadConstant(Register.R0, (long)(CgroupId.Find(((StringLiteral)call.Arguments[0]).Value, out _) ?? 0));
                break;
            case "uptr" or "kptr" or "strerror" or "cgroup_path":
                // The value itself: its type says how it is read or printed.
                EmitInt(call.Arguments[0]);
                break;
            case "bswap":
                EmitInt(call.Arguments[0]);
                if (call.Type.Size == 1) asm.Alu64(AluOp.And, Register.R0, 0xff);
                else asm.ToBigEndian(Register.R0, call.Type.Size * 8);
                break;
            case "uaddr":
                LoadConstant(Register.R0, (long)(UserSymbolAddress.Find(resolved.Target, ((StringLiteral)call.Arguments[0]).Value)?.Address ?? 0));
                break;
            case "kaddr":
                // Resolved when type-checked; -d may run where kallsyms is unreadable, hence the 0.
                LoadConstant(Register.R0, (long)(KernelSymbolAddress.Find(((StringLiteral)call.Arguments[0]).Value) ?? 0));
                break;
            case "reg":
                asm.LoadMem(Size.DWord, Register.R0, Ctx, (short)TypeChecker.RegisterOffset(((StringLiteral)call.Arguments[0]).Value)!.Value);
                break;
            case "strncmp":
            {
                var a = call.Arguments[0];
                var b = call.Arguments[1];
                var length = (int)Math.Min(((IntegerLiteral)call.Arguments[2]).Value, (ulong)Math.Max(a.Type.Size, b.Type.Size));
                var size = ScriptType.Align8(Math.Max(a.Type.Size, b.Type.Size));
                var left = frame.Allocate(size, a.Span);
                var right = frame.Allocate(size, b.Span);
                ZeroStack(left, size);
                ZeroStack(right, size);
                EmitToStack(a, left);
                EmitToStack(b, right);
                var differ = asm.DefineLabel("strncmp_differ");
                var equal = asm.DefineLabel("strncmp_equal");
                var end = asm.DefineLabel("strncmp_end");
                // Byte by byte up to the length or the first NUL (bpftrace: 0 when equal, 1 otherwise).
                for (var i = 0; i < length; i++)
                {
                    asm.LoadMem(Size.Byte, Register.R1, Register.R10, (short)(left + i));
                    asm.LoadMem(Size.Byte, Register.R2, Register.R10, (short)(right + i));
                    asm.JumpIf(JumpCondition.NotEqual, Register.R1, Register.R2, differ);
                    asm.JumpIf(JumpCondition.Equal, Register.R1, 0, equal);
                }
                asm.MarkLabel(equal);
                asm.Mov64(Register.R0, 0);
                asm.Jump(end);
                asm.MarkLabel(differ);
                asm.Mov64(Register.R0, 1);
                asm.MarkLabel(end);
                break;
            }
            default:
                throw Error(call.Span, $"{call.Name}() has no value");
        }
    }

    private int MapIndex(string name)
    {
        var index = 0;
        foreach (var key in script.Maps.Keys.Order(StringComparer.Ordinal))
        {
            if (key == name) return index;
            index++;
        }
        return -1;
    }

    /// <summary>Sends [id, extra...] through the ring buffer.</summary>
    private void EmitEvent(ulong id, Call call, params long[] extra)
    {
        var size = 8 * (1 + extra.Length);
        var record = frame.Allocate(size, call.Span);
        LoadConstant(Register.R0, (long)id);
        asm.StoreMem(Size.DWord, Register.R10, record, Register.R0);
        for (var i = 0; i < extra.Length; i++)
        {
            LoadConstant(Register.R0, extra[i]);
            asm.StoreMem(Size.DWord, Register.R10, (short)(record + 8 * (i + 1)), Register.R0);
        }
        EmitOutput(record, size);
    }

    private void EmitPrintf(Call call)
    {
        var id = script.PrintfIds[call];
        var format = script.Printfs[id];
        var record = frame.Allocate(format.RecordSize, call.Span);
        ZeroStack(record, format.RecordSize);
        for (var i = 0; i < format.Arguments.Count; i++)
        {
            var argument = call.Arguments[i + 1];
            var at = (short)(record + format.Offset(i));
            if (argument.Type.IsOnStack) EmitToStack(argument, at, format.Arguments[i].Size);
            else
            {
                EmitInt(argument);
                asm.StoreMem(Size.DWord, Register.R10, at, Register.R0);
            }
        }
        LoadConstant(Register.R0, (long)(EventIds.PrintfBase + (ulong)id));
        asm.StoreMem(Size.DWord, Register.R10, record, Register.R0);
        EmitOutput(record, format.RecordSize);
    }

    private void EmitPrintValue(Call call)
    {
        var value = call.Arguments[0];
        var size = 8 + ScriptType.Align8(Math.Max(8, value.Type.Size));
        var record = frame.Allocate(size, call.Span);
        ZeroStack(record, size);
        if (value.Type.IsOnStack) EmitToStack(value, (short)(record + 8));
        else
        {
            EmitInt(value);
            asm.StoreMem(Size.DWord, Register.R10, (short)(record + 8), Register.R0);
        }
        LoadConstant(Register.R0, (long)(EventIds.PrintValueBase + (ulong)PrintValueIndex(call)));
        asm.StoreMem(Size.DWord, Register.R10, record, Register.R0);
        EmitOutput(record, size);
    }

    private int PrintValueIndex(Call call) => PrintValueCalls(script).IndexOf(call);

    /// <summary>The index of a call among the calls of the same function, in source order (names its format or separator).</summary>
    public static int CallIndex(CheckedScript script, string name, Call call) => CallsNamed(script, name).IndexOf(call);

    public static List<Call> CallsNamed(CheckedScript script, string name) =>
        script.Program.Probes.SelectMany(p => StatementCalls(p.Body)).Where(c => c.Name == name).ToList();

    /// <summary>The calls made as statements in <paramref name="statement"/> (printf, print, exit…), in source order.</summary>
    public static IEnumerable<Call> StatementCalls(Statement statement)
    {
        switch (statement)
        {
            case Block b:
                foreach (var s in b.Statements)
                    foreach (var c in StatementCalls(s)) yield return c;
                break;
            case ExpressionStatement { Expression: Call c }: yield return c; break;
            case IfStatement i:
                foreach (var c in StatementCalls(i.Then)) yield return c;
                if (i.Else is { } e)
                    foreach (var c in StatementCalls(e)) yield return c;
                break;
            case UnrollStatement u:
                foreach (var c in StatementCalls(u.Body)) yield return c;
                break;
            case WhileStatement w:
                foreach (var c in StatementCalls(w.Body)) yield return c;
                break;
        }
    }

    /// <summary>
    /// Whether a probe body sends records each time it runs (printf, print, join…): exit() sends one
    /// record, once, since the flag it raises stops every probe.
    /// </summary>
    public static bool SendsRecords(Statement body) =>
        StatementCalls(body).Any(c => c.Name is "printf" or "system" or "cat" or "print" or "time" or "join" or "clear" or "zero");

    /// <summary>
    /// join(argv): the strings of a NULL-terminated pointer array, built in the per-CPU scratch map
    /// (1 KiB does not fit the stack); r7 holds the record, r8 the array, across helper calls.
    /// </summary>
    private void EmitJoin(Call call)
    {
        EmitInt(call.Arguments[0]);
        asm.Mov64(Register.R8, Register.R0);
        var key = frame.Allocate(8, call.Span);
        var pointer = frame.Allocate(8, call.Span);
        asm.StoreImm(Size.DWord, Register.R10, key, 0);
        asm.LoadMapFd(Register.R1, fds.Scratch);
        StackPointer(Register.R2, key);
        asm.Call(BpfHelper.MapLookupElem);
        var skip = asm.DefineLabel("join_skip");
        var send = asm.DefineLabel("join_send");
        asm.JumpIf(JumpCondition.Equal, Register.R0, 0, skip);
        asm.Mov64(Register.R7, Register.R0);
        LoadConstant(Register.R1, (long)(EventIds.JoinBase + (ulong)CallIndex(script, "join", call)));
        asm.StoreMem(Size.DWord, Register.R7, 0, Register.R1);
        for (var i = 0; i < EventIds.JoinArguments; i++) asm.StoreImm(Size.Byte, Register.R7, (short)(8 + i * EventIds.JoinArgumentSize), 0);
        for (var i = 0; i < EventIds.JoinArguments; i++)
        {
            StackPointer(Register.R1, pointer);
            asm.Mov64(Register.R2, 8);
            asm.Mov64(Register.R3, Register.R8);
            asm.Alu64(AluOp.Add, Register.R3, i * 8);
            asm.Call(BpfHelper.ProbeRead);
            asm.LoadMem(Size.DWord, Register.R3, Register.R10, pointer);
            asm.JumpIf(JumpCondition.Equal, Register.R3, 0, send);
            asm.Mov64(Register.R1, Register.R7);
            asm.Alu64(AluOp.Add, Register.R1, 8 + i * EventIds.JoinArgumentSize);
            asm.Mov64(Register.R2, EventIds.JoinArgumentSize);
            asm.Call(BpfHelper.ProbeReadStr);
        }
        asm.MarkLabel(send);
        EmitOutputCall(Register.R7, EventIds.JoinRecordSize);
        asm.MarkLabel(skip);
    }

    /// <summary>The print(value) call sites in source order; their index names the value's type in the record.</summary>
    public static List<Call> PrintValueCalls(CheckedScript script) =>
        script.Program.Probes.SelectMany(p => StatementCalls(p.Body)).Where(c => c.Name == "print" && c.Arguments.Count > 0 && c.Arguments[0] is not MapAccess).ToList();

    /// <summary>
    /// buf(src[, len]) at <paramref name="offset"/>: a u64 length, then the bytes. A computed length
    /// is clamped to the capacity (the verifier needs the bound); the data area is zeroed first
    /// because the record is later copied whole into a map or the ring buffer.
    /// </summary>
    private void EmitBuffer(Call call, short offset)
    {
        var capacity = call.Type.Size - 8;
        var data = (short)(offset + 8);
        ZeroStack(data, ScriptType.Align8(capacity));
        var source = call.Arguments[0];
        short sourceSlot = 0;
        if (source.Type.Kind == TypeKind.String)
        {
            sourceSlot = frame.Allocate(source.Type.Size, source.Span);
            EmitToStack(source, sourceSlot);
        }
        if (call.Arguments.Count == 2 && call.Arguments[1] is not IntegerLiteral)
        {
            EmitInt(call.Arguments[1]);
            ClampUnsigned(Register.R0, capacity);
        }
        else LoadConstant(Register.R0, capacity);
        asm.StoreMem(Size.DWord, Register.R10, offset, Register.R0);
        if (source.Type.Kind == TypeKind.String) StackPointer(Register.R3, sourceSlot);
        else
        {
            EmitInt(source);
            asm.Mov64(Register.R3, Register.R0);
        }
        StackPointer(Register.R1, data);
        asm.LoadMem(Size.DWord, Register.R2, Register.R10, offset);
        ClampUnsigned(Register.R2, capacity);
        asm.Call(BpfHelper.ProbeRead);
    }

    private void ClampUnsigned(Register register, int limit)
    {
        var within = asm.DefineLabel("within");
        asm.JumpIf(JumpCondition.LessOrEqual, register, limit, within);
        asm.Mov64(register, limit);
        asm.MarkLabel(within);
    }

    /// <summary>exit() raises the in-kernel flag first, so that other CPUs stop counting before user space even wakes up.</summary>
    private void EmitSetExiting()
    {
        if (fds.Exiting == 0) return;
        asm.LoadMapValue(Register.R1, fds.Exiting, 0);
        asm.StoreImm(Size.DWord, Register.R1, 0, 1);
    }

    /// <summary>Outputs the record on the stack; a failure (buffer full) adds one to the lost counter.</summary>
    private void EmitOutput(short record, int size)
    {
        StackPointer(Register.R0, record);
        EmitOutputCall(Register.R0, size);
        var ok = asm.DefineLabel("output_ok");
        asm.JumpIf(JumpCondition.Equal, Register.R0, 0, ok);
        var key = frame.Allocate(8, default);
        asm.StoreImm(Size.Word, Register.R10, key, 0);
        asm.LoadMapFd(Register.R1, fds.LostCounter);
        StackPointer(Register.R2, key);
        asm.Call(BpfHelper.MapLookupElem);
        asm.JumpIf(JumpCondition.Equal, Register.R0, 0, ok);
        asm.Mov64(Register.R1, 1);
        asm.Atomic(AtomicOp.Add, Size.DWord, Register.R0, 0, Register.R1);
        asm.MarkLabel(ok);
    }
}
