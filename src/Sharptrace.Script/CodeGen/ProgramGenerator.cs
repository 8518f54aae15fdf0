using Sharptrace.Bpf.Asm;
using Sharptrace.Kernel;
using Sharptrace.Kernel.Uapi;
using Sharptrace.Script.Diagnostics;
using Sharptrace.Script.Probes;
using Sharptrace.Script.Semantics;
using Sharptrace.Script.Syntax;
using Sharptrace.Script.Syntax.Ast;

namespace Sharptrace.Script.CodeGen;

/// <summary>
/// Compiles one probe body for one concrete attach point straight to eBPF: integer expressions
/// leave their value in r0 (spilling the left operand of a binary operator to the stack), strings
/// and tuples are built in stack slots, every instruction is annotated with its source line.
/// r6 holds the context for the whole program.
/// </summary>
internal sealed partial class ProgramGenerator
{
    private static readonly Register Ctx = Register.R6;

    private readonly CheckedScript script;
    private readonly Probe probe;
    private readonly ResolvedProbe resolved;
    private readonly MapFds fds;
    private readonly RuntimeConstants constants;
    private readonly Assembler asm = new();
    private readonly StackFrame frame = new();
    private readonly Dictionary<string, short> variables = [];
    private readonly Label exitLabel;
    private readonly Stack<(Label Break, Label Continue)> loops = new();

    // The verifier rejects unreachable instructions: after exit(), return, break or continue the rest
    // of the block is not emitted, nor the jump that would skip an else branch.
    private bool terminated;

    private ProgramGenerator(CheckedScript script, int programIndex, MapFds fds, RuntimeConstants constants)
    {
        this.script = script;
        (probe, resolved) = script.Programs[programIndex];
        this.fds = fds;
        this.constants = constants;
        exitLabel = asm.DefineLabel("exit");
    }

    public static AssembledProgram Generate(CheckedScript script, int programIndex, MapFds fds, RuntimeConstants constants) =>
        new ProgramGenerator(script, programIndex, fds, constants).Generate();

    private AssembledProgram Generate()
    {
        Annotate(probe.AttachPoints[0].Span, resolved.FullName);
        asm.Mov64(Ctx, Register.R1);
        if (resolved.Syscall is { } syscall) EmitSyscallFilter(syscall);
        if (resolved.Kind != ProbeKind.End) EmitExitingCheck();
        AllocateVariables(probe.Body);
        if (probe.Predicate is { } predicate)
        {
            Annotate(predicate.Span);
            EmitInt(predicate);
            asm.JumpIf(JumpCondition.Equal, Register.R0, 0, exitLabel);
        }
        EmitBlock(probe.Body);
        asm.MarkLabel(exitLabel);
        asm.Annotation = null;
        asm.Mov64(Register.R0, 0);
        asm.Exit();
        try { return asm.Build(); }
        catch (AssemblerException e)
        {
            // A jump beyond 32767 instructions: only huge unrolled bodies get there.
            throw Error(probe.AttachPoints[0].Span, $"the code for {resolved.FullName} is too large for eBPF jumps: {e.Message}");
        }
    }

    /// <summary>
    /// Returns at once when exit() has run: a direct load of the flag's map value (no helper call),
    /// because probes keep firing between exit() and the moment user space detaches them.
    /// </summary>
    private void EmitExitingCheck()
    {
        if (fds.Exiting == 0) return;
        asm.LoadMapValue(Register.R1, fds.Exiting, 0);
        asm.LoadMem(Size.DWord, Register.R1, Register.R1, 0);
        asm.JumpIf(JumpCondition.NotEqual, Register.R1, 0, exitLabel);
    }

    private void Annotate(SourceSpan span, string? comment = null)
    {
        var source = script.Program.Source;
        var (line, column) = source.LineColumn(span.Start);
        asm.Annotation = new InstructionAnnotation(comment ?? source.LineText(line).Trim()) { File = source.Name, Line = line, Column = column };
    }

    private ScriptException Error(SourceSpan span, string message) => new(new Diagnostic(span, message));

    /// <summary>Variables get their slots up front so temporaries can be released after each statement.</summary>
    private void AllocateVariables(Statement statement)
    {
        switch (statement)
        {
            case Block b:
                foreach (var s in b.Statements) AllocateVariables(s);
                break;
            case Assignment { Target: Variable v } when !variables.ContainsKey(v.Name):
                variables[v.Name] = frame.Allocate(Math.Max(8, v.Type.Size), v.Span);
                ZeroStack(variables[v.Name], Math.Max(8, v.Type.Size));
                break;
            case IfStatement i:
                AllocateVariables(i.Then);
                if (i.Else is { } e) AllocateVariables(e);
                break;
            case UnrollStatement u: AllocateVariables(u.Body); break;
            case WhileStatement w: AllocateVariables(w.Body); break;
        }
    }

    // ---- statements ----

    private void EmitBlock(Block block)
    {
        foreach (var statement in block.Statements)
        {
            if (terminated) return;
            EmitStatement(statement);
        }
    }

    private void EmitStatement(Statement statement)
    {
        var mark = frame.Mark();
        if (statement is not Block) Annotate(statement.Span);
        switch (statement)
        {
            case Block b: EmitBlock(b); break;
            case ExpressionStatement { Expression: var e }:
                if (e is Call call) EmitCallStatement(call);
                else if (e.Type.IsOnStack) EmitToStack(e, frame.Allocate(e.Type.Size, e.Span));
                else EmitInt(e);
                break;
            case Assignment a: EmitAssignment(a); break;
            case IfStatement i:
            {
                var otherwise = asm.DefineLabel("else");
                var end = asm.DefineLabel("endif");
                EmitInt(i.Condition);
                asm.JumpIf(JumpCondition.Equal, Register.R0, 0, otherwise);
                EmitBlock(i.Then);
                var thenTerminated = terminated;
                if (!thenTerminated) asm.Jump(end);
                asm.MarkLabel(otherwise);
                terminated = false;
                if (i.Else is { } e) EmitStatement(e);
                asm.MarkLabel(end);
                terminated = thenTerminated && terminated && i.Else is not null;
                break;
            }
            case UnrollStatement u:
                for (var n = 0UL; n < ((IntegerLiteral)u.Count).Value && !terminated; n++) EmitBlock(u.Body);
                break;
            case WhileStatement w:
            {
                var top = asm.DefineLabel("while");
                var end = asm.DefineLabel("endwhile");
                asm.MarkLabel(top);
                Annotate(w.Condition.Span);
                EmitInt(w.Condition);
                asm.JumpIf(JumpCondition.Equal, Register.R0, 0, end);
                loops.Push((end, top));
                EmitBlock(w.Body);
                loops.Pop();
                if (!terminated) asm.Jump(top);
                asm.MarkLabel(end);
                terminated = false;
                break;
            }
            case JumpStatement j:
                switch (j.Kind)
                {
                    case TokenKind.Return: asm.Jump(exitLabel); break;
                    case TokenKind.Break: asm.Jump(loops.Peek().Break); break;
                    default: asm.Jump(loops.Peek().Continue); break;
                }
                terminated = true;
                break;
        }
        frame.Release(mark);
    }

    private void EmitAssignment(Assignment a)
    {
        if (a.Target is Variable v)
        {
            var slot = variables[v.Name];
            if (v.Type.IsOnStack)
            {
                ZeroStack(slot, v.Type.Size);
                EmitToStack(a.Value, slot, v.Type.Size);
                return;
            }
            if (a.Operator is { } op)
            {
                EmitInt(a.Value);
                asm.Mov64(Register.R1, Register.R0);
                asm.LoadMem(Size.DWord, Register.R0, Register.R10, slot);
                EmitArithmetic(CompoundToBinary(op), v.Type.Signed && a.Value.Type.Signed);
            }
            else EmitInt(a.Value);
            asm.StoreMem(Size.DWord, Register.R10, slot, Register.R0);
            return;
        }
        var map = (MapAccess)a.Target;
        var info = script.Maps[map.Name];
        if (a.Value is Call call && info.Value.IsAggregation)
        {
            EmitAggregation(map, info, call);
            return;
        }
        if (a.Operator is { } compound)
        {
            EmitInt(a.Value);
            var right = Spill();
            EmitMapRead(map, info);
            asm.LoadMem(Size.DWord, Register.R1, Register.R10, right);
            EmitArithmetic(CompoundToBinary(compound), info.Value.Signed);
            EmitMapStoreInt(map, info);
            return;
        }
        if (info.Value.IsOnStack)
        {
            var value = frame.Allocate(info.StorageValueSize, a.Value.Span);
            ZeroStack(value, info.StorageValueSize);
            EmitToStack(a.Value, value, info.Value.Size);
            var key = EmitKey(map, info);
            EmitMapUpdate(info, key, value, BpfUpdateFlags.Any);
            return;
        }
        EmitInt(a.Value);
        EmitMapStoreInt(map, info);
    }

    private static TokenKind CompoundToBinary(TokenKind op) => op switch
    {
        TokenKind.PlusAssign => TokenKind.Plus, TokenKind.MinusAssign => TokenKind.Minus, TokenKind.StarAssign => TokenKind.Star,
        TokenKind.SlashAssign => TokenKind.Slash, TokenKind.PercentAssign => TokenKind.Percent, TokenKind.AndAssign => TokenKind.Ampersand,
        TokenKind.OrAssign => TokenKind.Pipe, TokenKind.XorAssign => TokenKind.Caret, TokenKind.ShlAssign => TokenKind.Shl,
        _ => TokenKind.Shr,
    };

    // ---- helpers for the stack ----

    /// <summary>Stores r0 in a fresh slot and returns it.</summary>
    private short Spill()
    {
        var slot = frame.Allocate(8, default);
        asm.StoreMem(Size.DWord, Register.R10, slot, Register.R0);
        return slot;
    }

    private void ZeroStack(short offset, int size)
    {
        for (var i = 0; i < ScriptType.Align8(size); i += 8) asm.StoreImm(Size.DWord, Register.R10, (short)(offset + i), 0);
    }

    /// <summary>Copies <paramref name="size"/> bytes (rounded up to 8) from [src+0] to the stack.</summary>
    private void CopyToStack(Register src, short offset, int size)
    {
        for (var i = 0; i < ScriptType.Align8(size); i += 8)
        {
            asm.LoadMem(Size.DWord, Register.R1, src, (short)i);
            asm.StoreMem(Size.DWord, Register.R10, (short)(offset + i), Register.R1);
        }
    }

    private void StackPointer(Register dst, short offset)
    {
        asm.Mov64(dst, Register.R10);
        asm.Alu64(AluOp.Add, dst, offset);
    }

    private void LoadConstant(Register dst, long value)
    {
        if (value is >= int.MinValue and <= int.MaxValue) asm.Mov64(dst, (int)value);
        else asm.LoadImm64(dst, value);
    }

    private int MapFd(string name) => fds.Maps[name];
}

/// <summary>Values fixed when the programs are loaded: where elapsed counts from, the -c child's pid, probe ids.</summary>
internal sealed record RuntimeConstants(long StartNanoseconds, long ChildPid)
{
    public static readonly RuntimeConstants None = new(0, 0);
}
