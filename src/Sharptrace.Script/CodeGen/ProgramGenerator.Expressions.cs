using Sharptrace.Bpf.Asm;
using Sharptrace.Kernel;
using Sharptrace.Script.Probes;
using Sharptrace.Script.Semantics;
using Sharptrace.Script.Syntax;
using Sharptrace.Script.Syntax.Ast;

namespace Sharptrace.Script.CodeGen;

internal sealed partial class ProgramGenerator
{
    /// <summary>Evaluates an integer (or pointer) expression into r0.</summary>
    private void EmitInt(Expression e)
    {
        switch (e)
        {
            case IntegerLiteral literal: LoadConstant(Register.R0, (long)literal.Value); break;
            case PositionalParameter p:
                if (p.IsCount) LoadConstant(Register.R0, script.Positionals.Count);
                else LoadConstant(Register.R0, p.Index >= 1 && p.Index <= script.Positionals.Count && long.TryParse(script.Positionals[p.Index - 1], out var n) ? n : 0);
                break;
            case Identifier { Name: "kstack" }: EmitStackId(user: false); break;
            case Identifier id: EmitBuiltin(id); break;
            case Variable v:
                asm.LoadMem(Size.DWord, Register.R0, Register.R10, variables[v.Name]);
                break;
            case MapAccess m: EmitMapRead(m, script.Maps[m.Name]); break;
            case Binary b: EmitBinary(b); break;
            case Unary u:
                EmitInt(u.Operand);
                switch (u.Operator)
                {
                    case TokenKind.Minus: asm.Neg64(Register.R0); break;
                    case TokenKind.Tilde: asm.Alu64(AluOp.Xor, Register.R0, -1); break;
                    case TokenKind.Bang: BooleanFromJump(JumpCondition.Equal, Register.R0, 0); break;
                    case TokenKind.Star: EmitProbeRead(8); break;
                }
                break;
            case IncrementDecrement inc: EmitIncrement(inc); break;
            case Ternary t:
            {
                var otherwise = asm.DefineLabel("ternary_else");
                var end = asm.DefineLabel("ternary_end");
                EmitInt(t.Condition);
                asm.JumpIf(JumpCondition.Equal, Register.R0, 0, otherwise);
                EmitInt(t.WhenTrue);
                asm.Jump(end);
                asm.MarkLabel(otherwise);
                EmitInt(t.WhenFalse);
                asm.MarkLabel(end);
                break;
            }
            case FieldAccess f: EmitField(f); break;
            case IndexAccess { Target.Type.Kind: TypeKind.Array } element:
            {
                var array = frame.Allocate(element.Target.Type.Size, element.Span);
                ZeroStack(array, ScriptType.Align8(element.Target.Type.Size));
                EmitToStack(element.Target, array);
                asm.LoadMem(Size.Byte, Register.R0, Register.R10, (short)(array + (int)((IntegerLiteral)element.Index).Value));
                Truncate(element.Type);
                break;
            }
            case IndexAccess ix:
            {
                EmitInt(ix.Target);
                var pointer = Spill();
                EmitInt(ix.Index);
                var size = ix.Type.Size;
                if (size > 1) asm.Alu64(AluOp.Mul, Register.R0, size);
                asm.LoadMem(Size.DWord, Register.R1, Register.R10, pointer);
                asm.Alu64(AluOp.Add, Register.R0, Register.R1);
                EmitProbeRead(size);
                Truncate(ix.Type);
                break;
            }
            case Cast c:
                EmitInt(c.Operand);
                if (c.Type.Kind == TypeKind.Integer) Truncate(c.Type);
                break;
            case SizeofExpression s:
                LoadConstant(Register.R0, s.Operand?.Type.Size ?? SizeOfTypeName(s.TypeName!));
                break;
            case Call call: EmitCallValue(call); break;
            default:
                throw Error(e.Span, "this expression has no integer value");
        }
    }

    private int SizeOfTypeName(TypeName name)
    {
        if (name.PointerDepth > 0) return 8 * (name.ArrayLength ?? 1);
        if (script.Structs.TryGetValue(name.Name, out var defined)) return defined.Size * (name.ArrayLength ?? 1);
        var size = name.Name switch
        {
            "int8" or "uint8" or "char" or "u8" or "s8" or "bool" or "unsigned char" or "__u8" or "__s8" => 1,
            "int16" or "uint16" or "short" or "u16" or "s16" or "unsigned short" or "__u16" or "__s16" => 2,
            "int32" or "uint32" or "int" or "u32" or "s32" or "unsigned int" or "unsigned" or "__u32" or "__s32" or "pid_t" or "uid_t" or "gid_t" => 4,
            _ => 8,
        };
        return size * (name.ArrayLength ?? 1);
    }

    /// <summary>Narrows r0 to the integer type: zero- or sign-extends from its size.</summary>
    private void Truncate(ScriptType type)
    {
        if (type.Size >= 8) return;
        var shift = 64 - type.Size * 8;
        asm.Alu64(AluOp.Lsh, Register.R0, shift);
        asm.Alu64(type.Signed ? AluOp.Arsh : AluOp.Rsh, Register.R0, shift);
    }

    /// <summary>r0 = *(size*)r0 via bpf_probe_read (kernel or user memory: the compat helper picks).</summary>
    private void EmitProbeRead(int size)
    {
        var slot = frame.Allocate(8, default);
        asm.StoreImm(Size.DWord, Register.R10, slot, 0);
        asm.Mov64(Register.R3, Register.R0);
        StackPointer(Register.R1, slot);
        asm.Mov64(Register.R2, Math.Clamp(size, 1, 8));
        asm.Call(BpfHelper.ProbeRead);
        asm.LoadMem(Size.DWord, Register.R0, Register.R10, slot);
    }

    private void BooleanFromJump(JumpCondition condition, Register register, int immediate)
    {
        var yes = asm.DefineLabel("true");
        var end = asm.DefineLabel("bool_end");
        asm.JumpIf(condition, register, immediate, yes);
        asm.Mov64(Register.R0, 0);
        asm.Jump(end);
        asm.MarkLabel(yes);
        asm.Mov64(Register.R0, 1);
        asm.MarkLabel(end);
    }

    private void EmitBinary(Binary b)
    {
        if (b.Operator is TokenKind.AndAnd or TokenKind.OrOr)
        {
            var shortCircuit = asm.DefineLabel("short");
            var end = asm.DefineLabel("logic_end");
            var isAnd = b.Operator == TokenKind.AndAnd;
            EmitInt(b.Left);
            asm.JumpIf(isAnd ? JumpCondition.Equal : JumpCondition.NotEqual, Register.R0, 0, shortCircuit);
            EmitInt(b.Right);
            BooleanFromJump(JumpCondition.NotEqual, Register.R0, 0);
            asm.Jump(end);
            asm.MarkLabel(shortCircuit);
            asm.Mov64(Register.R0, isAnd ? 0 : 1);
            asm.MarkLabel(end);
            return;
        }
        if (b.Left.Type.Kind is TypeKind.String or TypeKind.Array)
        {
            EmitStringEquality(b);
            return;
        }
        EmitInt(b.Left);
        var left = Spill();
        EmitInt(b.Right);
        asm.Mov64(Register.R1, Register.R0);
        asm.LoadMem(Size.DWord, Register.R0, Register.R10, left);
        var signed = b.Left.Type.Signed && b.Right.Type.Signed;
        JumpCondition? comparison = b.Operator switch
        {
            TokenKind.EqualEqual => JumpCondition.Equal,
            TokenKind.NotEqual => JumpCondition.NotEqual,
            TokenKind.Less => signed ? JumpCondition.SignedLess : JumpCondition.Less,
            TokenKind.LessEqual => signed ? JumpCondition.SignedLessOrEqual : JumpCondition.LessOrEqual,
            TokenKind.Greater => signed ? JumpCondition.SignedGreater : JumpCondition.Greater,
            TokenKind.GreaterEqual => signed ? JumpCondition.SignedGreaterOrEqual : JumpCondition.GreaterOrEqual,
            _ => null,
        };
        if (comparison is { } condition)
        {
            var yes = asm.DefineLabel("cmp_true");
            var end = asm.DefineLabel("cmp_end");
            asm.JumpIf(condition, Register.R0, Register.R1, yes);
            asm.Mov64(Register.R0, 0);
            asm.Jump(end);
            asm.MarkLabel(yes);
            asm.Mov64(Register.R0, 1);
            asm.MarkLabel(end);
            return;
        }
        EmitArithmetic(b.Operator, signed);
    }

    /// <summary>r0 = r0 OP r1.</summary>
    private void EmitArithmetic(TokenKind op, bool signed)
    {
        switch (op)
        {
            case TokenKind.Plus: asm.Alu64(AluOp.Add, Register.R0, Register.R1); break;
            case TokenKind.Minus: asm.Alu64(AluOp.Sub, Register.R0, Register.R1); break;
            case TokenKind.Star: asm.Alu64(AluOp.Mul, Register.R0, Register.R1); break;
            case TokenKind.Slash: asm.Alu64(AluOp.Div, Register.R0, Register.R1); break;
            case TokenKind.Percent: asm.Alu64(AluOp.Mod, Register.R0, Register.R1); break;
            case TokenKind.Ampersand: asm.Alu64(AluOp.And, Register.R0, Register.R1); break;
            case TokenKind.Pipe: asm.Alu64(AluOp.Or, Register.R0, Register.R1); break;
            case TokenKind.Caret: asm.Alu64(AluOp.Xor, Register.R0, Register.R1); break;
            case TokenKind.Shl: asm.Alu64(AluOp.Lsh, Register.R0, Register.R1); break;
            case TokenKind.Shr: asm.Alu64(signed ? AluOp.Arsh : AluOp.Rsh, Register.R0, Register.R1); break;
        }
    }

    /// <summary>Strings are zero-padded in their slots, so equality compares 8-byte words over the longer size.</summary>
    private void EmitStringEquality(Binary b)
    {
        var size = ScriptType.Align8(Math.Max(b.Left.Type.Size, b.Right.Type.Size));
        var left = frame.Allocate(size, b.Left.Span);
        var right = frame.Allocate(size, b.Right.Span);
        ZeroStack(left, size);
        ZeroStack(right, size);
        EmitToStack(b.Left, left, b.Left.Type.Size);
        EmitToStack(b.Right, right, b.Right.Type.Size);
        var differ = asm.DefineLabel("str_differ");
        var end = asm.DefineLabel("str_end");
        for (var i = 0; i < size; i += 8)
        {
            asm.LoadMem(Size.DWord, Register.R1, Register.R10, (short)(left + i));
            asm.LoadMem(Size.DWord, Register.R2, Register.R10, (short)(right + i));
            asm.JumpIf(JumpCondition.NotEqual, Register.R1, Register.R2, differ);
        }
        asm.Mov64(Register.R0, b.Operator == TokenKind.EqualEqual ? 1 : 0);
        asm.Jump(end);
        asm.MarkLabel(differ);
        asm.Mov64(Register.R0, b.Operator == TokenKind.EqualEqual ? 0 : 1);
        asm.MarkLabel(end);
    }

    private void EmitIncrement(IncrementDecrement inc)
    {
        var delta = inc.Increment ? 1 : -1;
        if (inc.Target is Variable v)
        {
            var slot = variables[v.Name];
            asm.LoadMem(Size.DWord, Register.R0, Register.R10, slot);
            asm.Mov64(Register.R1, Register.R0);
            asm.Alu64(AluOp.Add, Register.R1, delta);
            asm.StoreMem(Size.DWord, Register.R10, slot, Register.R1);
            if (inc.Prefix) asm.Mov64(Register.R0, Register.R1);
            return;
        }
        var map = (MapAccess)inc.Target;
        var info = script.Maps[map.Name];
        EmitMapRead(map, info);
        var old = Spill();
        asm.Alu64(AluOp.Add, Register.R0, delta);
        EmitMapStoreInt(map, info);
        asm.LoadMem(Size.DWord, Register.R0, Register.R10, old);
        if (inc.Prefix) asm.Alu64(AluOp.Add, Register.R0, delta);
    }

    private void EmitBuiltin(Identifier id)
    {
        if (id.Constant is { } constant)
        {
            LoadConstant(Register.R0, constant);
            return;
        }
        var name = id.Name;
        if (BuiltinVariables.IsArgument(name, out var index))
        {
            if (resolved.Usdt is { } usdt) EmitUsdtArgument(usdt.Argument(index, out _)!);
            else if (resolved.Kind == ProbeKind.RawTracepoint)
                asm.LoadMem(Size.DWord, Register.R0, Ctx, (short)(index * 8));
            else
                asm.LoadMem(Size.DWord, Register.R0, Ctx, (short)Arch.Current.ArgumentOffsets[index]);
            return;
        }
        switch (name)
        {
            case "pid":
                asm.Call(BpfHelper.GetCurrentPidTgid);
                asm.Alu64(AluOp.Rsh, Register.R0, 32);
                break;
            case "tid":
                asm.Call(BpfHelper.GetCurrentPidTgid);
                asm.Mov32(Register.R0, Register.R0);
                break;
            case "uid":
                asm.Call(BpfHelper.GetCurrentUidGid);
                asm.Mov32(Register.R0, Register.R0);
                break;
            case "gid":
                asm.Call(BpfHelper.GetCurrentUidGid);
                asm.Alu64(AluOp.Rsh, Register.R0, 32);
                break;
            case "nsecs": asm.Call(BpfHelper.KtimeGetNs); break;
            case "elapsed":
                asm.Call(BpfHelper.KtimeGetNs);
                LoadConstant(Register.R1, constants.StartNanoseconds);
                asm.Alu64(AluOp.Sub, Register.R0, Register.R1);
                break;
            case "cpu": asm.Call(BpfHelper.GetSmpProcessorId); break;
            case "rand": asm.Call(BpfHelper.GetPrandomU32); break;
            case "cgroup": asm.Call(BpfHelper.GetCurrentCgroupId); break;
            case "curtask": asm.Call(BpfHelper.GetCurrentTask); break;
            case "cpid": LoadConstant(Register.R0, constants.ChildPid); break;
            case "retval" when resolved.Tracing is { } function:
                // fexit: the return value follows the arguments in the context.
                asm.LoadMem(Size.DWord, Register.R0, Ctx, function.ReturnValueOffset);
                Truncate(id.Type);
                break;
            case "retval": asm.LoadMem(Size.DWord, Register.R0, Ctx, (short)Arch.Current.ReturnValueOffset); break;
            case "username":
                asm.Call(BpfHelper.GetCurrentUidGid);
                asm.Mov32(Register.R0, Register.R0);
                break;
            case "probe": LoadConstant(Register.R0, ProbeIndex()); break;
            default: throw Error(id.Span, $"{name} has no integer value");
        }
    }

    private int ProbeIndex()
    {
        for (var i = 0; i < script.Programs.Count; i++)
            if (ReferenceEquals(script.Programs[i].Resolved, resolved)) return i;
        return 0;
    }

    private void EmitField(FieldAccess f)
    {
        if (f.Target is Identifier { Name: "args" } && resolved.DynamicEvent is not null)
        {
            EmitDynamicArgument(f);
            return;
        }
        if (f.Target is Identifier { Name: "args" } && resolved.Tracing is not null)
        {
            // kfunc: every argument is a u64 slot of the context; narrower types keep only their bytes.
            asm.LoadMem(Size.DWord, Register.R0, Ctx, (short)f.MemberOffset);
            Truncate(f.Type);
            return;
        }
        if (f.Target is Identifier { Name: "args" })
        {
            var field = resolved.Format!.Field(f.Field)!;
            if (resolved.Syscall is { } syscall) EmitSyscallField(syscall, field);
            else asm.LoadMem(field.Size switch { 1 => Size.Byte, 2 => Size.Half, 4 => Size.Word, _ => Size.DWord }, Register.R0, Ctx, (short)field.Offset);
            if (f.Type.Kind == TypeKind.Integer && f.Type.Signed) Truncate(f.Type);
            return;
        }
        if (IsStructMember(f))
        {
            EmitMemberAddress(f);
            if (f.Type.Kind == TypeKind.Record || f.Type.IsArrayAddress) return;
            if (f.Bits.Width > 0)
            {
                EmitBitfield(f);
                return;
            }
            EmitProbeRead(f.Type.Size);
            if (f.Type.Kind == TypeKind.Integer) Truncate(f.Type);
            return;
        }
        if (f.Target.Type.Kind == TypeKind.Tuple)
        {
            var slot = frame.Allocate(f.Target.Type.Size, f.Span);
            ZeroStack(slot, f.Target.Type.Size);
            EmitToStack(f.Target, slot, f.Target.Type.Size);
            asm.LoadMem(Size.DWord, Register.R0, Register.R10, (short)(slot + f.Target.Type.ElementOffset(int.Parse(f.Field))));
            return;
        }
        throw Error(f.Span, $"field '{f.Field}' cannot be read here");
    }

    /// <summary>r0 = bpf_get_stackid(ctx, stack map, flags): the id of this stack in the map (negative on failure).</summary>
    private void EmitStackId(bool user)
    {
        asm.Mov64(Register.R1, Ctx);
        asm.LoadMapFd(Register.R2, user ? fds.UserStacks : fds.KernelStacks);
        asm.Mov64(Register.R3, user ? 256 /* BPF_F_USER_STACK */ : 0);
        asm.Call(BpfHelper.GetStackid);
    }

    private static bool IsStructMember(FieldAccess f) =>
        f.Target is not Identifier { Name: "args" } && f.Target.Type.Kind is TypeKind.Pointer or TypeKind.Record && f.Target.Type.Pointee is not null;

    /// <summary>
    /// A bitfield from r0 = the address of its first byte: reads the bytes that hold it (little
    /// endian), shifts its top bit to bit 63, then shifts back down, which drops the bits below and
    /// zero- or sign-extends it.
    /// </summary>
    private void EmitBitfield(FieldAccess f)
    {
        var (shift, width) = f.Bits;
        var bytes = (shift + width + 7) / 8;
        EmitProbeRead(bytes switch { 1 => 1, 2 => 2, <= 4 => 4, _ => 8 });
        asm.Alu64(AluOp.Lsh, Register.R0, 64 - shift - width);
        asm.Alu64(f.Type.Signed ? AluOp.Arsh : AluOp.Rsh, Register.R0, 64 - width);
    }

    /// <summary>r0 = the address of a struct member: the pointer's (or the record's) address plus the BTF offset.</summary>
    private void EmitMemberAddress(FieldAccess f)
    {
        EmitInt(f.Target);
        if (f.MemberOffset != 0) asm.Alu64(AluOp.Add, Register.R0, f.MemberOffset);
    }

    /// <summary>Writes an on-stack value (string, tuple, probe) of <paramref name="size"/> bytes to [r10+offset], which is zeroed already.</summary>
    private void EmitToStack(Expression e, short offset, int size = -1)
    {
        if (size < 0) size = e.Type.Size;
        if (!e.Type.IsOnStack)
        {
            EmitInt(e);
            asm.StoreMem(Size.DWord, Register.R10, offset, Register.R0);
            return;
        }
        switch (e)
        {
            case StringLiteral s: StoreString(s.Value, offset, size); break;
            case PositionalParameter p:
                StoreString(p.Index >= 1 && p.Index <= script.Positionals.Count ? script.Positionals[p.Index - 1] : "", offset, size);
                break;
            case Identifier { Name: "ustack" }:
            case Call { Name: "ustack" }:
                EmitStackId(user: true);
                asm.StoreMem(Size.DWord, Register.R10, offset, Register.R0);
                asm.Call(BpfHelper.GetCurrentPidTgid);
                asm.Alu64(AluOp.Rsh, Register.R0, 32);
                asm.StoreMem(Size.DWord, Register.R10, (short)(offset + 8), Register.R0);
                break;
            case Call { Name: "usym" } usym:
                EmitInt(usym.Arguments[0]);
                asm.StoreMem(Size.DWord, Register.R10, offset, Register.R0);
                asm.Call(BpfHelper.GetCurrentPidTgid);
                asm.Alu64(AluOp.Rsh, Register.R0, 32);
                asm.StoreMem(Size.DWord, Register.R10, (short)(offset + 8), Register.R0);
                break;
            case Identifier { Name: "comm" }:
                StackPointer(Register.R1, offset);
                asm.Mov64(Register.R2, Math.Min(16, size));
                asm.Call(BpfHelper.GetCurrentComm);
                break;
            case Identifier { Name: "func" }:
                StoreString(resolved.Function, offset, size);
                break;
            case Identifier { Name: "probe" }:
                LoadConstant(Register.R0, ProbeIndex());
                asm.StoreMem(Size.DWord, Register.R10, offset, Register.R0);
                break;
            case Variable v:
            {
                var slot = variables[v.Name];
                for (var i = 0; i < ScriptType.Align8(Math.Min(size, v.Type.Size)); i += 8)
                {
                    asm.LoadMem(Size.DWord, Register.R1, Register.R10, (short)(slot + i));
                    asm.StoreMem(Size.DWord, Register.R10, (short)(offset + i), Register.R1);
                }
                break;
            }
            case MapAccess m:
            {
                var info = script.Maps[m.Name];
                var key = EmitKey(m, info);
                asm.LoadMapFd(Register.R1, MapFd(m.Name));
                StackPointer(Register.R2, key);
                asm.Call(BpfHelper.MapLookupElem);
                var missing = asm.DefineLabel("missing");
                asm.JumpIf(JumpCondition.Equal, Register.R0, 0, missing);
                asm.Mov64(Register.R2, Register.R0);
                CopyToStack(Register.R2, offset, Math.Min(size, info.Value.Size));
                asm.MarkLabel(missing);
                break;
            }
            case Call { Name: "ntop" } call:
                EmitInet(call, offset);
                break;
            case Call { Name: "pton" } call:
                StoreBytes(AddressBytes.Parse(((StringLiteral)call.Arguments[0]).Value)!, offset);
                break;
            case Call { Name: "macaddr" } call:
                EmitMacAddress(call, offset);
                break;
            case Call { Name: "buf" } call:
                EmitBuffer(call, offset);
                break;
            case Call { Name: "path" } call:
                // bpf_d_path(path, buf, size); on failure the zeroed buffer stays an empty string.
                EmitInt(call.Arguments[0]);
                asm.Mov64(Register.R1, Register.R0);
                StackPointer(Register.R2, offset);
                asm.Mov64(Register.R3, Math.Min(size, call.Type.Size));
                asm.Call(BpfHelper.DPath);
                break;
            case Call { Name: "str" } call:
            {
                var argument = call.Arguments[0];
                if (argument.Type.Kind == TypeKind.String)
                {
                    EmitToStack(argument, offset, size);
                    break;
                }
                EmitInt(argument);
                asm.Mov64(Register.R3, Register.R0);
                StackPointer(Register.R1, offset);
                asm.Mov64(Register.R2, Math.Min(size, call.Type.Size));
                asm.Call(BpfHelper.ProbeReadStr);
                break;
            }
            case FieldAccess { Target: Identifier { Name: "args" } } dynamicArgument when resolved.DynamicEvent is not null:
                EmitDynamicString(dynamicArgument, offset, size);
                break;
            case FieldAccess { Target: Identifier { Name: "args" } } f:
            {
                // char name[N] fields: copy the bytes out of the record.
                var field = resolved.Format!.Field(f.Field)!;
                asm.Mov64(Register.R3, Ctx);
                asm.Alu64(AluOp.Add, Register.R3, field.Offset);
                StackPointer(Register.R1, offset);
                asm.Mov64(Register.R2, Math.Min(size, field.Size));
                asm.Call(BpfHelper.ProbeReadKernel);
                break;
            }
            case FieldAccess member when IsStructMember(member):
                // char name[N] members: read the kernel's bytes up to the NUL.
                EmitMemberAddress(member);
                asm.Mov64(Register.R3, Register.R0);
                StackPointer(Register.R1, offset);
                asm.Mov64(Register.R2, Math.Min(size, member.Type.Size));
                asm.Call(BpfHelper.ProbeReadStr);
                break;
            case FieldAccess tupleField when tupleField.Target.Type.Kind == TypeKind.Tuple:
            {
                var slot = frame.Allocate(tupleField.Target.Type.Size, tupleField.Span);
                ZeroStack(slot, tupleField.Target.Type.Size);
                EmitToStack(tupleField.Target, slot);
                var start = tupleField.Target.Type.ElementOffset(int.Parse(tupleField.Field));
                for (var i = 0; i < ScriptType.Align8(Math.Min(size, tupleField.Type.Size)); i += 8)
                {
                    asm.LoadMem(Size.DWord, Register.R1, Register.R10, (short)(slot + start + i));
                    asm.StoreMem(Size.DWord, Register.R10, (short)(offset + i), Register.R1);
                }
                break;
            }
            case TupleExpression tuple:
                for (var i = 0; i < tuple.Elements.Count; i++)
                {
                    var element = tuple.Elements[i];
                    var at = (short)(offset + e.Type.ElementOffset(i));
                    if (element.Type.IsOnStack) EmitToStack(element, at, e.Type.Elements[i].Size);
                    else
                    {
                        EmitInt(element);
                        asm.StoreMem(Size.DWord, Register.R10, at, Register.R0);
                    }
                }
                break;
            case Ternary t:
            {
                var otherwise = asm.DefineLabel("ternary_else");
                var end = asm.DefineLabel("ternary_end");
                EmitInt(t.Condition);
                asm.JumpIf(JumpCondition.Equal, Register.R0, 0, otherwise);
                EmitToStack(t.WhenTrue, offset, Math.Min(size, t.WhenTrue.Type.Size));
                asm.Jump(end);
                asm.MarkLabel(otherwise);
                EmitToStack(t.WhenFalse, offset, Math.Min(size, t.WhenFalse.Type.Size));
                asm.MarkLabel(end);
                break;
            }
            default:
                throw Error(e.Span, $"a value of type {e.Type} cannot be used here");
        }
    }

    /// <summary>Writes a NUL-terminated, zero-padded string constant with 32-bit immediate stores.</summary>
    private void StoreString(string value, short offset, int size)
    {
        var bytes = new byte[ScriptType.Align8(size)];
        var encoded = System.Text.Encoding.UTF8.GetBytes(value);
        Array.Copy(encoded, bytes, Math.Min(encoded.Length, Math.Max(0, size - 1)));
        StoreBytes(bytes, offset);
    }

    /// <summary>Writes constant bytes with 32-bit immediate stores (zero words skipped: the slot is zeroed already).</summary>
    private void StoreBytes(byte[] value, short offset)
    {
        var bytes = new byte[ScriptType.Align8(value.Length)];
        value.CopyTo(bytes, 0);
        for (var i = 0; i < bytes.Length; i += 4)
        {
            var word = BitConverter.ToInt32(bytes, i);
            if (word != 0) asm.StoreImm(Size.Word, Register.R10, (short)(offset + i), word);
        }
    }
}
