using Sharptrace.Bpf.Asm;
using Sharptrace.Kernel.Uapi;
using Sharptrace.Script.Semantics;
using Sharptrace.Script.Syntax.Ast;

namespace Sharptrace.Script.CodeGen;

internal sealed partial class ProgramGenerator
{
    /// <summary>Builds the map key on the stack (zero-padded so equal keys are equal bytes) and returns its slot.</summary>
    private short EmitKey(MapAccess map, MapInfo info)
    {
        var key = frame.Allocate(info.StorageKeySize, map.Span);
        ZeroStack(key, info.StorageKeySize);
        var element = 0;
        foreach (var part in map.Keys)
        {
            if (part.Type.Kind == TypeKind.Tuple && part is TupleExpression tuple)
            {
                foreach (var inner in tuple.Elements) EmitKeyPart(inner, info, key, element++);
                continue;
            }
            EmitKeyPart(part, info, key, element++);
        }
        return key;
    }

    private void EmitKeyPart(Expression part, MapInfo info, short key, int element)
    {
        var at = (short)(key + info.Key!.ElementOffset(element));
        if (part.Type.IsOnStack) EmitToStack(part, at, info.Key.Elements[element].Size);
        else
        {
            EmitInt(part);
            asm.StoreMem(Size.DWord, Register.R10, at, Register.R0);
        }
    }

    /// <summary>r0 = the map's integer value for the key, or 0 when there is none.</summary>
    private void EmitMapRead(MapAccess map, MapInfo info)
    {
        var key = EmitKey(map, info);
        asm.LoadMapFd(Register.R1, MapFd(map.Name));
        StackPointer(Register.R2, key);
        asm.Call(BpfHelper.MapLookupElem);
        var done = asm.DefineLabel("read_done");
        asm.JumpIf(JumpCondition.Equal, Register.R0, 0, done);
        if (info.Value.Kind is TypeKind.Avg)
        {
            // [count, total]: the average of this CPU's share, as bpftrace reads it in-kernel.
            asm.LoadMem(Size.DWord, Register.R1, Register.R0, 0);
            asm.LoadMem(Size.DWord, Register.R0, Register.R0, 8);
            asm.Alu64(AluOp.Div, Register.R0, Register.R1);
        }
        else asm.LoadMem(Size.DWord, Register.R0, Register.R0, 0);
        asm.MarkLabel(done);
    }

    /// <summary>Stores r0 as the map's value under the key.</summary>
    private void EmitMapStoreInt(MapAccess map, MapInfo info)
    {
        var value = Spill();
        var key = EmitKey(map, info);
        EmitMapUpdate(info, key, value, BpfUpdateFlags.Any);
    }

    private void EmitMapUpdate(MapInfo info, short key, short value, BpfUpdateFlags flags)
    {
        asm.LoadMapFd(Register.R1, MapFd(info.Name));
        StackPointer(Register.R2, key);
        StackPointer(Register.R3, value);
        asm.Mov64(Register.R4, (int)flags);
        asm.Call(BpfHelper.MapUpdateElem);
    }

    /// <summary>
    /// count/sum/min/max/avg/stats/hist/lhist in a per-CPU map: find (or create zeroed) this CPU's
    /// slot and update it in place; no atomics are needed as no other CPU writes it.
    /// </summary>
    private void EmitAggregation(MapAccess map, MapInfo info, Call call)
    {
        short argument = 0;
        if (call.Arguments.Count > 0)
        {
            EmitInt(call.Arguments[0]);
            argument = Spill();
        }
        var key = EmitKey(map, info);
        if (info.Value.Kind is TypeKind.Hist or TypeKind.Lhist)
        {
            asm.LoadMem(Size.DWord, Register.R0, Register.R10, argument);
            if (info.Value.Kind == TypeKind.Hist) EmitLog2Bucket();
            else EmitLinearBucket(info.Value.Linear);
            asm.StoreMem(Size.DWord, Register.R10, (short)(key + info.KeySize), Register.R0);
        }
        var found = asm.DefineLabel("agg_found");
        var skip = asm.DefineLabel("agg_skip");
        asm.LoadMapFd(Register.R1, MapFd(map.Name));
        StackPointer(Register.R2, key);
        asm.Call(BpfHelper.MapLookupElem);
        asm.JumpIf(JumpCondition.NotEqual, Register.R0, 0, found);
        var zero = frame.Allocate(16, call.Span);
        ZeroStack(zero, 16);
        EmitMapUpdate(info, key, zero, BpfUpdateFlags.NoExist);
        asm.LoadMapFd(Register.R1, MapFd(map.Name));
        StackPointer(Register.R2, key);
        asm.Call(BpfHelper.MapLookupElem);
        asm.JumpIf(JumpCondition.Equal, Register.R0, 0, skip);
        asm.MarkLabel(found);
        if (call.Arguments.Count > 0) asm.LoadMem(Size.DWord, Register.R2, Register.R10, argument);
        switch (info.Value.Kind)
        {
            case TypeKind.Count or TypeKind.Hist or TypeKind.Lhist:
                asm.LoadMem(Size.DWord, Register.R1, Register.R0, 0);
                asm.Alu64(AluOp.Add, Register.R1, 1);
                asm.StoreMem(Size.DWord, Register.R0, 0, Register.R1);
                break;
            case TypeKind.Sum:
                asm.LoadMem(Size.DWord, Register.R1, Register.R0, 0);
                asm.Alu64(AluOp.Add, Register.R1, Register.R2);
                asm.StoreMem(Size.DWord, Register.R0, 0, Register.R1);
                break;
            case TypeKind.Avg or TypeKind.Stats:
                asm.LoadMem(Size.DWord, Register.R1, Register.R0, 0);
                asm.Alu64(AluOp.Add, Register.R1, 1);
                asm.StoreMem(Size.DWord, Register.R0, 0, Register.R1);
                asm.LoadMem(Size.DWord, Register.R1, Register.R0, 8);
                asm.Alu64(AluOp.Add, Register.R1, Register.R2);
                asm.StoreMem(Size.DWord, Register.R0, 8, Register.R1);
                break;
            case TypeKind.Min or TypeKind.Max:
            {
                // [value, is-set]: the first sample always wins.
                var store = asm.DefineLabel("minmax_store");
                asm.LoadMem(Size.DWord, Register.R1, Register.R0, 8);
                asm.JumpIf(JumpCondition.Equal, Register.R1, 0, store);
                asm.LoadMem(Size.DWord, Register.R1, Register.R0, 0);
                var signed = info.Value.Signed;
                var keep = info.Value.Kind == TypeKind.Min
                    ? (signed ? JumpCondition.SignedLessOrEqual : JumpCondition.LessOrEqual)
                    : (signed ? JumpCondition.SignedGreaterOrEqual : JumpCondition.GreaterOrEqual);
                asm.JumpIf(keep, Register.R1, Register.R2, skip);
                asm.MarkLabel(store);
                asm.StoreMem(Size.DWord, Register.R0, 0, Register.R2);
                asm.StoreImm(Size.DWord, Register.R0, 8, 1);
                break;
            }
        }
        asm.MarkLabel(skip);
    }

    /// <summary>r0 = bpftrace's log2 bucket of r0: 0 for negatives, 1 for 0, else 2 + floor(log2(v)).</summary>
    private void EmitLog2Bucket()
    {
        var negative = asm.DefineLabel("hist_negative");
        var zero = asm.DefineLabel("hist_zero");
        var done = asm.DefineLabel("hist_done");
        asm.JumpIf(JumpCondition.SignedLess, Register.R0, 0, negative);
        asm.JumpIf(JumpCondition.Equal, Register.R0, 0, zero);
        asm.Mov64(Register.R2, 2);
        // bpftrace 0.17 shifts by 16, 8, 4, 2, 1 only, so every value from 2^31 up lands in [2G, 4G);
        // we do the same so that histograms print identically.
        foreach (var shift in new[] { 16, 8, 4, 2, 1 })
        {
            var next = asm.DefineLabel("hist_next");
            asm.Mov64(Register.R3, Register.R0);
            asm.Alu64(AluOp.Rsh, Register.R3, shift);
            asm.JumpIf(JumpCondition.Equal, Register.R3, 0, next);
            asm.Mov64(Register.R0, Register.R3);
            asm.Alu64(AluOp.Add, Register.R2, shift);
            asm.MarkLabel(next);
        }
        asm.Mov64(Register.R0, Register.R2);
        asm.Jump(done);
        asm.MarkLabel(negative);
        asm.Mov64(Register.R0, 0);
        asm.Jump(done);
        asm.MarkLabel(zero);
        asm.Mov64(Register.R0, 1);
        asm.MarkLabel(done);
    }

    /// <summary>r0 = lhist bucket: 0 below min, buckets+1 at or above max, else 1 + (v - min) / step.</summary>
    private void EmitLinearBucket((long Min, long Max, long Step) linear)
    {
        var below = asm.DefineLabel("lhist_below");
        var above = asm.DefineLabel("lhist_above");
        var done = asm.DefineLabel("lhist_done");
        var buckets = (linear.Max - linear.Min) / linear.Step;
        LoadConstant(Register.R1, linear.Min);
        asm.JumpIf(JumpCondition.SignedLess, Register.R0, Register.R1, below);
        LoadConstant(Register.R1, linear.Max);
        asm.JumpIf(JumpCondition.SignedGreaterOrEqual, Register.R0, Register.R1, above);
        LoadConstant(Register.R1, linear.Min);
        asm.Alu64(AluOp.Sub, Register.R0, Register.R1);
        LoadConstant(Register.R1, linear.Step);
        asm.Alu64(AluOp.Div, Register.R0, Register.R1);
        asm.Alu64(AluOp.Add, Register.R0, 1);
        asm.Jump(done);
        asm.MarkLabel(below);
        asm.Mov64(Register.R0, 0);
        asm.Jump(done);
        asm.MarkLabel(above);
        LoadConstant(Register.R0, buckets + 1);
        asm.MarkLabel(done);
    }
}
