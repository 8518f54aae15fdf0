using Sharptrace.Script.Diagnostics;
using Sharptrace.Script.Probes;
using Sharptrace.Script.Runtime;
using Sharptrace.Script.Syntax;
using Sharptrace.Script.Syntax.Ast;

namespace Sharptrace.Script.Semantics;

/// <summary>
/// The semantic pass: expands attach points through the probe providers, types every expression,
/// checks builtins and function arguments, and keeps each map's key and value types consistent.
/// It walks the probes twice so that a map read before (in source order) it is assigned still gets its type.
/// </summary>
internal sealed class TypeChecker
{
    public const int DefaultStringSize = 64;
    private const int MaxStringSize = 200;

    private readonly ScriptProgram program;
    private readonly IReadOnlyList<string> positionals;
    private readonly Dictionary<string, MapInfo> maps = [];
    private readonly List<PrintfFormat> printfs = [];
    private readonly Dictionary<Call, int> printfIds = [];
    private Dictionary<string, ScriptType> variables = [];
    private ResolvedProbe probe = null!;
    private bool finalPass;
    private int loopDepth;
    private long unrollCopies = 1;
    private const long MaxUnrollCopies = 10_000;
    private bool usesKernelStacks;
    private bool usesUserStacks;

    private bool unsafeAllowed;

    private readonly Dictionary<string, ScriptStruct> structs;

    /// <summary>Raw-tracepoint syscall probes (<see cref="ResolvedProbe.Syscall"/>) whose body needs the perf tracepoint.</summary>
    private readonly HashSet<ResolvedProbe> needsRecord = new(ReferenceEqualityComparer.Instance);

    private TypeChecker(ScriptProgram program, IReadOnlyList<string> positionals)
    {
        this.program = program;
        this.positionals = positionals;
        structs = ScriptStructs.Layout(program.Structs);
    }

    public static CheckedScript Check(ScriptProgram program, IReadOnlyList<string> positionals, Func<AttachPointNode, IEnumerable<ResolvedProbe>>? resolve = null, bool allowUnsafe = false)
    {
        var checker = new TypeChecker(program, positionals) { unsafeAllowed = allowUnsafe };
        resolve ??= node => ProbeProviders.Resolve(node);
        var programs = new List<(Probe, ResolvedProbe)>();
        var leftOut = new List<Diagnostic>();
        foreach (var p in program.Probes)
            foreach (var point in p.AttachPoints)
            {
                List<ResolvedProbe> resolvedProbes;
                try { resolvedProbes = [.. resolve(point)]; }
                catch (MissingFunctionException e)
                {
                    leftOut.Add(e.Diagnostic with { Message = e.Diagnostic.Message + ": this probe is left out", IsWarning = true });
                    continue;
                }
                foreach (var resolved in resolvedProbes)
                {
                    if (resolved.Kind is ProbeKind.Begin or ProbeKind.End && programs.Any(q => q.Item2.Kind == resolved.Kind))
                        throw Error(point.Span, $"More than one {resolved.FullName} probe defined");
                    programs.Add((p, resolved));
                }
            }
        if (programs.Count == 0 && leftOut.Count > 0) throw new ScriptException(leftOut[0] with { Message = leftOut[0].Message.Replace(": this probe is left out", ""), IsWarning = false });
        for (var pass = 0; pass < 2; pass++)
        {
            checker.finalPass = pass == 1;
            checker.printfs.Clear();
            checker.printfIds.Clear();
            foreach (var (p, resolved) in programs)
            {
                checker.probe = resolved;
                checker.variables = [];
                if (p.Predicate is { } predicate)
                {
                    checker.CheckExpression(predicate);
                    if (checker.finalPass && !predicate.Type.IsInteger) throw Error(predicate.Span, $"the predicate must be an integer, not {predicate.Type}");
                }
                checker.CheckBlock(p.Body);
            }
        }
        // Syscall probes that read what only the perf record has go back to the perf tracepoint.
        for (var i = 0; i < programs.Count; i++)
            if (checker.needsRecord.Contains(programs[i].Item2)) programs[i] = (programs[i].Item1, programs[i].Item2 with { Syscall = null });
        foreach (var map in checker.maps.Values)
            if (map.Value.Kind == TypeKind.None) throw Error(map.FirstUse, $"map {map.Name} is read but never assigned");
        return new CheckedScript(program, programs, checker.maps, [.. checker.printfs], new Dictionary<Call, int>(checker.printfIds), positionals)
        {
            Warnings = leftOut,
            UsesKernelStacks = checker.usesKernelStacks,
            UsesUserStacks = checker.usesUserStacks,
            Structs = checker.structs,
        };
    }

    private void CheckBlock(Block block)
    {
        foreach (var statement in block.Statements) CheckStatement(statement);
    }

    private void CheckStatement(Statement statement)
    {
        switch (statement)
        {
            case Block block: CheckBlock(block); break;
            case ExpressionStatement { Expression: var e }:
                CheckExpression(e, statementLevel: true);
                break;
            case Assignment assignment: CheckAssignment(assignment); break;
            case IfStatement s:
                CheckCondition(s.Condition);
                CheckBlock(s.Then);
                if (s.Else is { } otherwise) CheckStatement(otherwise);
                break;
            case UnrollStatement s:
                CheckExpression(s.Count);
                if (s.Count is not IntegerLiteral { Value: >= 1 and <= 100 } count) throw Error(s.Count.Span, "unroll needs a literal count from 1 to 100");
                // Nested unrolls multiply: code generation copies the innermost block count1 * count2 * … times.
                var outer = unrollCopies;
                unrollCopies *= (long)count.Value;
                if (unrollCopies > MaxUnrollCopies) throw Error(s.Span, $"nested unroll repeats this block {unrollCopies} times (at most {MaxUnrollCopies})");
                CheckBlock(s.Body);
                unrollCopies = outer;
                break;
            case WhileStatement s:
                CheckCondition(s.Condition);
                loopDepth++;
                CheckBlock(s.Body);
                loopDepth--;
                break;
            case JumpStatement j:
                if (j.Kind != TokenKind.Return && loopDepth == 0) throw Error(j.Span, $"'{(j.Kind == TokenKind.Break ? "break" : "continue")}' outside of a loop");
                break;
        }
    }

    private void CheckCondition(Expression condition)
    {
        CheckExpression(condition);
        if (!condition.Type.IsInteger && condition.Type.Kind != TypeKind.None) throw Error(condition.Span, $"a condition must be an integer, not {condition.Type}");
    }

    private void CheckAssignment(Assignment assignment)
    {
        var value = assignment.Value;
        if (assignment.Target is MapAccess map)
        {
            var info = MapFor(map);
            if (value is Call call && IsAggregation(call.Name))
            {
                if (assignment.Operator is not null) throw Error(assignment.Span, $"{call.Name}() cannot be used with a compound assignment");
                var type = CheckAggregation(call);
                SetMapValue(info, type, assignment.Span);
                return;
            }
            CheckExpression(value);
            if (assignment.Operator is not null && !value.Type.IsInteger) throw Error(value.Span, $"compound assignment needs an integer, not {value.Type}");
            if (value.Type.Kind is TypeKind.None && finalPass) throw Error(value.Span, "this expression has no value to assign");
            SetMapValue(info, Storable(value.Type), value.Span);
            return;
        }
        var variable = (Variable)assignment.Target;
        CheckExpression(value);
        if (value.Type.Kind == TypeKind.None)
        {
            if (finalPass) throw Error(value.Span, "this expression has no value to assign");
            return;
        }
        if (value.Type.IsAggregation) throw Error(value.Span, $"{value.Type} values can only be stored in maps");
        if (variables.TryGetValue(variable.Name, out var existing))
        {
            if (!existing.Compatible(value.Type))
                throw Error(assignment.Span, $"type mismatch for {variable.Name}: trying to assign a value of type '{value.Type}' when the variable already has type '{existing}'");
            if (existing.Kind == TypeKind.String && value.Type.Size > existing.Size) variables[variable.Name] = value.Type;
        }
        else
        {
            if (assignment.Operator is not null) throw Error(variable.Span, $"variable {variable.Name} is used before it is assigned");
            variables[variable.Name] = Storable(value.Type);
        }
        variable.Type = variables[variable.Name];
    }

    /// <summary>Integers are kept as 64-bit values in maps and variables, keeping their signedness.</summary>
    private static ScriptType Storable(ScriptType type) => type.Kind switch
    {
        TypeKind.Integer => ScriptType.Integer(8, type.Signed),
        TypeKind.Tuple => ScriptType.Tuple(type.Elements.Select(Storable)),
        _ => type,
    };

    private void SetMapValue(MapInfo info, ScriptType type, SourceSpan span)
    {
        if (info.Value.Kind == TypeKind.None)
        {
            info.Value = type;
            return;
        }
        if (type.Kind == TypeKind.Lhist && info.Value.Kind == TypeKind.Lhist && info.Value.Linear != type.Linear)
            throw Error(span, "Different lhist bounds in a single map unsupported");
        if (info.Value.Kind != type.Kind || !info.Value.Compatible(type))
            throw Error(span, $"type mismatch for {info.Name}: trying to assign a value of type '{type}' when the map already contains a value of type '{info.Value}'");
        if (type.Kind == TypeKind.String && type.Size > info.Value.Size) info.Value = type;
        if (type.Kind == TypeKind.Integer && type.Signed) info.Value = type;
    }

    private MapInfo MapFor(MapAccess map)
    {
        if (!maps.TryGetValue(map.Name, out var info)) maps[map.Name] = info = new MapInfo(map.Name, map.Span);
        foreach (var key in map.Keys)
        {
            CheckExpression(key);
            if (key.Type.Kind is TypeKind.None or TypeKind.Count or TypeKind.Sum or TypeKind.Min or TypeKind.Max or TypeKind.Avg or TypeKind.Stats or TypeKind.Hist or TypeKind.Lhist)
                throw Error(key.Span, $"{(key.Type.Kind == TypeKind.None ? "this expression has no value" : key.Type.ToString())} cannot be used as a map key");
        }
        var keyType = ScriptType.Tuple(map.Keys.SelectMany(k => k.Type.Kind == TypeKind.Tuple ? k.Type.Elements.AsEnumerable() : [k.Type]).Select(Storable));
        if (info.Key is null) info.Key = keyType;
        else if (!info.Key.Compatible(keyType))
            throw Error(map.Span, info.KeyCount == 0 || keyType.Elements.Length == 0
                ? $"map {map.Name} is used both with and without a key"
                : $"map {map.Name} is used with two key types: [{string.Join(", ", info.Key.Elements)}] and [{string.Join(", ", keyType.Elements)}]");
        else if (keyType.Size > info.Key.Size) info.Key = keyType;
        return info;
    }

    private static bool IsAggregation(string name) => name is "count" or "sum" or "avg" or "min" or "max" or "stats" or "hist" or "lhist";

    private ScriptType CheckAggregation(Call call)
    {
        foreach (var argument in call.Arguments) CheckExpression(argument);
        var expected = call.Name switch { "count" => 0, "lhist" => 4, _ => 1 };
        if (call.Arguments.Count != expected)
            throw Error(call.Span, $"{call.Name}() takes {expected} argument{(expected == 1 ? "" : "s")}, not {call.Arguments.Count}");
        foreach (var argument in call.Arguments)
            if (!argument.Type.IsInteger) throw Error(argument.Span, $"{call.Name}() only supports integer arguments ({argument.Type} provided)");
        var kind = call.Name switch
        {
            "count" => TypeKind.Count, "sum" => TypeKind.Sum, "avg" => TypeKind.Avg, "min" => TypeKind.Min,
            "max" => TypeKind.Max, "stats" => TypeKind.Stats, "hist" => TypeKind.Hist, _ => TypeKind.Lhist,
        };
        var signed = call.Arguments.Count > 0 && call.Arguments[0].Type.Signed;
        if (kind != TypeKind.Lhist) return new ScriptType(kind, 8, signed);
        long Literal(int i, string what) => call.Arguments[i] is IntegerLiteral literal ? (long)literal.Value
            : call.Arguments[i] is Unary { Operator: TokenKind.Minus, Operand: IntegerLiteral negative } ? -(long)negative.Value
            : throw Error(call.Arguments[i].Span, $"lhist() {what} must be an integer literal");
        var min = Literal(1, "min");
        var max = Literal(2, "max");
        var step = Literal(3, "step");
        if (min < 0) throw Error(call.Arguments[1].Span, "lhist() min must be non-negative");
        if (step <= 0) throw Error(call.Arguments[3].Span, "lhist() step must be >= 1");
        if (max <= min) throw Error(call.Arguments[2].Span, "lhist() max must be greater than min");
        if ((max - min) / step > 1000) throw Error(call.Span, "lhist() has too many buckets: (max - min) / step must be at most 1000");
        return new ScriptType(kind, 8) { Linear = (min, max, step) };
    }

    private void CheckExpression(Expression expression, bool statementLevel = false)
    {
        switch (expression)
        {
            case IntegerLiteral literal:
                literal.Type = literal.Value > long.MaxValue ? ScriptType.UInt64 : ScriptType.Int64;
                break;
            case StringLiteral s:
                if (s.Value.Length + 1 > MaxStringSize) throw Error(s.Span, $"string literal is too long ({s.Value.Length} bytes; at most {MaxStringSize - 1} fit on the BPF stack)");
                s.Type = ScriptType.String(s.Value.Length + 1);
                break;
            case PositionalParameter p:
                if (p.IsCount) p.Type = ScriptType.Int64;
                else if (p.Index < 1 || p.Index > positionals.Count) p.Type = ScriptType.Int64; // bpftrace: a missing parameter is 0 or ""
                else p.Type = long.TryParse(positionals[p.Index - 1], out _) ? ScriptType.Int64 : ScriptType.String(Math.Min(MaxStringSize, positionals[p.Index - 1].Length + 1));
                break;
            case Identifier id:
            {
                if (id.Name == "args")
                {
                    if (probe.Kind != ProbeKind.Tracepoint && probe.Tracing is null) throw Error(id.Span, "args is only available in tracepoint, kfunc and kretfunc probes");
                    id.Type = new ScriptType(TypeKind.Record, 0) { Pointee = probe.FullName };
                    break;
                }
                if (id.Name is "kstack" or "ustack")
                {
                    id.Type = StackType(id.Name, "bpftrace", 127);
                    break;
                }
                if (BuiltinVariables.TypeOf(id.Name) is null && KernelConstants.TryGet(id.Name, out var constant))
                {
                    id.Constant = constant;
                    id.Type = ScriptType.Int64;
                    break;
                }
                var type = BuiltinVariables.TypeOf(id.Name) ?? throw Error(id.Span, $"unknown identifier '{id.Name}'");
                if (BuiltinVariables.Restriction(id.Name, probe) is { } why) throw Error(id.Span, why);
                id.Type = id.Name == "retval" && probe.Tracing is { } function ? KfuncReturnType(function, id.Span) : type;
                break;
            }
            case Variable v:
                if (!variables.TryGetValue(v.Name, out var variableType))
                {
                    if (finalPass) throw Error(v.Span, $"undefined variable {v.Name}");
                    variableType = ScriptType.None;
                }
                v.Type = variableType;
                break;
            case MapAccess m:
            {
                var info = MapFor(m);
                if (finalPass && info.Value.Kind == TypeKind.None) throw Error(m.Span, $"map {m.Name} is read but never assigned");
                m.Type = info.Value.Kind switch
                {
                    TypeKind.Stats or TypeKind.Hist or TypeKind.Lhist when !statementLevel => throw Error(m.Span, $"{info.Value} maps cannot be read in an expression"),
                    _ => info.Value,
                };
                break;
            }
            case Binary b: CheckBinary(b); break;
            case Unary u:
                CheckExpression(u.Operand);
                if (u.Operator == TokenKind.Star)
                {
                    if (!u.Operand.Type.IsInteger) throw Error(u.Span, $"cannot dereference a value of type {u.Operand.Type}");
                    u.Type = ScriptType.UInt64;
                    break;
                }
                if (u.Operator == TokenKind.Ampersand) throw Error(u.Span, "the address-of operator '&' is not supported");
                if (!u.Operand.Type.IsInteger && finalPass) throw Error(u.Operand.Span, $"operator '{OperatorText(u.Operator)}' needs an integer, not {u.Operand.Type}");
                u.Type = u.Operator == TokenKind.Bang ? ScriptType.UInt64 : u.Operator == TokenKind.Minus ? ScriptType.Int64 : u.Operand.Type;
                break;
            case IncrementDecrement inc:
                if (inc.Target is not (Variable or MapAccess)) throw Error(inc.Span, "'++' and '--' only apply to variables and maps");
                if (inc.Target is MapAccess incMap)
                {
                    var info = MapFor(incMap);
                    SetMapValue(info, ScriptType.Int64, inc.Span);
                    incMap.Type = ScriptType.Int64;
                }
                else
                {
                    CheckExpression(inc.Target);
                    if (finalPass && !inc.Target.Type.IsInteger) throw Error(inc.Span, $"'++' and '--' need an integer variable, not {inc.Target.Type}");
                }
                inc.Type = ScriptType.Int64;
                break;
            case Ternary t:
                CheckCondition(t.Condition);
                CheckExpression(t.WhenTrue);
                CheckExpression(t.WhenFalse);
                if (finalPass && !t.WhenTrue.Type.Compatible(t.WhenFalse.Type))
                    throw Error(t.Span, $"the branches of ?: have different types: {t.WhenTrue.Type} and {t.WhenFalse.Type}");
                t.Type = t.WhenTrue.Type.Kind == TypeKind.String ? ScriptType.String(Math.Max(t.WhenTrue.Type.Size, t.WhenFalse.Type.Size)) : t.WhenTrue.Type;
                break;
            case FieldAccess f: CheckField(f); break;
            case IndexAccess ix:
                CheckExpression(ix.Target);
                CheckExpression(ix.Index);
                if (ix.Target.Type.Kind == TypeKind.Array)
                {
                    // pton()'s bytes: a constant index within the array, as bpftrace checks it.
                    if (ix.Index is not IntegerLiteral element) throw Error(ix.Index.Span, "the index of an array value must be an integer literal");
                    if (element.Value >= (ulong)ix.Target.Type.Size) throw Error(ix.Span, $"the index {element.Value} is out of bounds for array of size {ix.Target.Type.Size}");
                    ix.Type = ScriptType.UInt8; // bpftrace reads the bytes unsigned: pton("fe80::")[0] is 254
                    break;
                }
                if (!ix.Target.Type.IsInteger) throw Error(ix.Target.Span, $"cannot index a value of type {ix.Target.Type}");
                ix.Type = ElementType(ix.Target.Type.Pointee);
                break;
            case Cast c:
                CheckExpression(c.Operand);
                c.Type = TypeOfName(c.TypeName);
                if (!c.Operand.Type.IsInteger && finalPass) throw Error(c.Span, $"cannot cast a {c.Operand.Type} to {c.TypeName}");
                break;
            case TupleExpression tuple:
                foreach (var element in tuple.Elements) CheckExpression(element);
                if (finalPass && tuple.Elements.Any(e => e.Type.Kind is TypeKind.None || e.Type.IsAggregation))
                    throw Error(tuple.Span, "a tuple element has no storable value");
                tuple.Type = ScriptType.Tuple(tuple.Elements.Select(e => Storable(e.Type)));
                break;
            case SizeofExpression s:
                if (s.Operand is { } operand)
                {
                    CheckExpression(operand);
                    s.Type = ScriptType.UInt64;
                }
                else s.Type = ScriptType.UInt64;
                break;
            case Call call: CheckCall(call, statementLevel); break;
        }
    }

    private void CheckBinary(Binary b)
    {
        CheckExpression(b.Left);
        CheckExpression(b.Right);
        var left = b.Left.Type;
        var right = b.Right.Type;
        if (b.Operator is TokenKind.EqualEqual or TokenKind.NotEqual && left.Kind == TypeKind.String && right.Kind == TypeKind.String
            || b.Operator is TokenKind.EqualEqual or TokenKind.NotEqual && left.Kind == TypeKind.Array && left == right)
        {
            b.Type = ScriptType.UInt64;
            return;
        }
        if (!finalPass && (left.Kind == TypeKind.None || right.Kind == TypeKind.None))
        {
            b.Type = ScriptType.Int64;
            return;
        }
        if (!left.IsInteger || !right.IsInteger)
            throw Error(b.Span, $"Type mismatch for '{OperatorText(b.Operator)}': comparing '{left}' with '{right}'");
        b.Type = b.Operator switch
        {
            TokenKind.EqualEqual or TokenKind.NotEqual or TokenKind.Less or TokenKind.LessEqual or TokenKind.Greater or TokenKind.GreaterEqual
                or TokenKind.AndAnd or TokenKind.OrOr => ScriptType.UInt64,
            _ => ScriptType.Integer(8, left.Signed && right.Signed),
        };
    }

    private void CheckField(FieldAccess f)
    {
        CheckExpression(f.Target);
        var target = f.Target.Type;
        if (target.Kind == TypeKind.Record && f.Target is Identifier { Name: "args" } && probe.DynamicEvent is { } dynamicEvent)
        {
            f.Type = DynamicEventArgs.TypeOf(dynamicEvent, f.Field, f.Span);
            return;
        }
        if (target.Kind == TypeKind.Record && f.Target is Identifier { Name: "args" } && probe.Tracing is null)
        {
            var field = probe.Format?.Field(f.Field) ?? throw Error(f.Span, $"tracepoint {probe.FullName} has no field '{f.Field}'");
            f.TracepointField = field;
            if (probe.Syscall is not null && SyscallTracepoint.NeedsRecord(field)) needsRecord.Add(probe);
            // Like bpftrace, only "char name[N]" is text; other arrays and __data_loc fields are not read as strings.
            var isCharArray = field.Type == "char" && field.ArrayLength is not null && !field.IsDataLoc && !field.IsRelLoc;
            f.Type = isCharArray ? ScriptType.String(field.Size)
                : field.IsPointer ? ScriptType.Pointer(field.Type.Replace("*", "").Replace("const ", "").Trim())
                : ScriptType.Integer(field.Size is 1 or 2 or 4 or 8 ? field.Size : 8, field.IsSigned);
            return;
        }
        if (target.Kind == TypeKind.Record && f.Target is Identifier { Name: "args" } && probe.Tracing is { } function)
        {
            CheckKfuncArgument(f, function);
            return;
        }
        if (target.Kind == TypeKind.Tuple && int.TryParse(f.Field, out var index))
        {
            if (index < 0 || index >= target.Elements.Length) throw Error(f.Span, $"tuple index {index} out of range (the tuple has {target.Elements.Length} elements)");
            f.Type = target.Elements[index];
            return;
        }
        if (target.Kind is TypeKind.Pointer or TypeKind.Record && target.Pointee is not null && structs.TryGetValue(target.Pointee, out var defined))
        {
            if (f.Arrow != (target.Kind == TypeKind.Pointer))
                throw Error(f.Span, target.Kind == TypeKind.Pointer ? $"'{target}' is a pointer: use '->' to access '{f.Field}'" : $"'{target}' is not a pointer: use '.' to access '{f.Field}'");
            if (!defined.Fields.TryGetValue(f.Field, out var scriptField)) throw Error(f.Span, $"'{target.Pointee}' has no field named '{f.Field}'");
            (f.MemberOffset, f.Type) = scriptField;
            return;
        }
        if (target.Kind is TypeKind.Pointer or TypeKind.Record && target.Pointee is not null)
        {
            if (f.Arrow != (target.Kind == TypeKind.Pointer))
                throw Error(f.Span, target.Kind == TypeKind.Pointer ? $"'{target}' is a pointer: use '->' to access '{f.Field}'" : $"'{target}' is not a pointer: use '.' to access '{f.Field}'");
            var spec = KernelTypes.Spec ?? throw Error(f.Span, $"cannot resolve '{f.Field}' of {target}: this kernel has no BTF (/sys/kernel/btf/vmlinux)");
            var container = target.BtfId != 0 ? spec.TypeById(target.BtfId) : KernelTypes.Find(target.Pointee) ?? throw Error(f.Target.Span, $"unknown type '{target.Pointee}' (not in the kernel's BTF)");
            if (!spec.TryFindMember(container.Id, f.Field, out var member))
                throw Error(f.Span, $"'{target.Pointee}' has no field named '{f.Field}'");
            f.MemberOffset = (int)member.ByteOffset;
            f.Type = KernelTypes.ToScriptType(spec, member.Type.Id);
            if (member.IsBitfield)
            {
                if (f.Type.Kind != TypeKind.Integer) throw Error(f.Span, $"bitfield '{f.Field}' is not an integer");
                f.Bits = ((int)(member.BitOffset % 8), member.BitfieldSize);
                f.Type = f.Type with { Size = 8 };
            }
            return;
        }
        if (finalPass) throw Error(f.Span, $"cannot access field '{f.Field}' of a value of type {target}");
        f.Type = ScriptType.Int64;
    }

    /// <summary>args->NAME in kfunc/kretfunc: the parameter's BTF type; its u64 slot in the context is recorded as the member offset.</summary>
    private void CheckKfuncArgument(FieldAccess f, Bpf.Programs.TracingTarget function)
    {
        var parameters = function.Prototype.Params;
        for (var i = 0; i < parameters.Count; i++)
        {
            if (parameters[i].Name != f.Field) continue;
            var type = KernelTypes.ToScriptType(function.Prototype.Spec, parameters[i].TypeId);
            if (!type.IsInteger) throw Error(f.Span, $"argument '{f.Field}' of {function.Function} is a {type} passed by value, which is not supported");
            f.MemberOffset = Bpf.Programs.TracingTarget.ArgumentOffset(i);
            f.Type = type;
            return;
        }
        var names = string.Join(", ", parameters.Where(p => !p.IsVariadic).Select(p => p.Name));
        throw Error(f.Span, $"{function.Function} has no argument named '{f.Field}' (its arguments: {(names.Length > 0 ? names : "none")})");
    }

    /// <summary>retval in kretfunc: typed by the function's BTF return type, as bpftrace does.</summary>
    private static ScriptType KfuncReturnType(Bpf.Programs.TracingTarget function, SourceSpan span)
    {
        if (function.Prototype.ReferencedTypeId == 0) throw Error(span, $"{function.Function} returns void: there is no retval");
        var type = KernelTypes.ToScriptType(function.Prototype.Spec, function.Prototype.ReferencedTypeId);
        return type.IsInteger ? type : ScriptType.UInt64;
    }

    private static ScriptType ElementType(string? pointee) => pointee switch
    {
        "char" or "int8" or "s8" or "__s8" => ScriptType.Int8,
        "unsigned char" or "uint8" or "u8" or "__u8" => ScriptType.UInt8,
        "short" or "int16" => ScriptType.Int16,
        "unsigned short" or "uint16" => ScriptType.UInt16,
        "int" or "int32" or "s32" or "__s32" => ScriptType.Int32,
        "unsigned int" or "uint32" or "u32" or "__u32" => ScriptType.UInt32,
        "long" or "int64" or "s64" or "__s64" or "long long" => ScriptType.Int64,
        _ => ScriptType.UInt64,
    };

    internal static ScriptType TypeOfName(TypeName name)
    {
        if (name.PointerDepth > 0) return ScriptType.Pointer(name.Name + new string('*', name.PointerDepth - 1));
        return name.Name switch
        {
            "int8" or "s8" or "__s8" or "char" or "signed char" => ScriptType.Int8,
            "uint8" or "u8" or "__u8" or "unsigned char" or "bool" => ScriptType.UInt8,
            "int16" or "s16" or "__s16" or "short" => ScriptType.Int16,
            "uint16" or "u16" or "__u16" or "unsigned short" => ScriptType.UInt16,
            "int32" or "s32" or "__s32" or "int" or "signed" or "signed int" or "pid_t" => ScriptType.Int32,
            "uint32" or "u32" or "__u32" or "unsigned" or "unsigned int" or "uid_t" or "gid_t" => ScriptType.UInt32,
            "int64" or "s64" or "__s64" or "long" or "long long" or "signed long" => ScriptType.Int64,
            _ => ScriptType.UInt64,
        };
    }

    private void CheckCall(Call call, bool statementLevel)
    {
        var args = call.Arguments;
        if (IsAggregation(call.Name)) throw Error(call.Span, $"{call.Name}() must be assigned to a map: @x = {call.Name}(...)");
        switch (call.Name)
        {
            case "printf":
            {
                if (args.Count == 0 || args[0] is not StringLiteral format) throw Error(call.Span, "printf() needs a string literal format as its first argument");
                for (var i = 1; i < args.Count; i++) CheckExpression(args[i]);
                var arguments = args.Skip(1).Select(a => a.Type.Kind == TypeKind.Integer || a.Type.Kind == TypeKind.Pointer ? ScriptType.Integer(8, a.Type.Signed) : a.Type).ToList();
                if (finalPass)
                {
                    PrintfFormatter.Check(format.Value, arguments, (index, message) =>
                        throw Error(index < 0 ? format.Span : args[index + 1].Span, message));
                }
                printfIds[call] = printfs.Count;
                printfs.Add(new PrintfFormat(format.Value, arguments));
                if (printfs[^1].RecordSize > 400) throw Error(call.Span, "printf() arguments are too big for the BPF stack (at most 400 bytes)");
                call.Type = ScriptType.None;
                return;
            }
            case "kstack" or "ustack":
            {
                var mode = "bpftrace";
                var depth = 127;
                foreach (var a in args)
                {
                    if (a is Identifier { Name: "perf" or "bpftrace" or "raw" } m) mode = m.Name;
                    else if (a is IntegerLiteral { Value: >= 1 and <= 1024 } d) depth = (int)d.Value;
                    else throw Error(a.Span, $"{call.Name}() takes a mode (bpftrace, perf, raw) and a depth (an integer literal)");
                }
                call.Type = StackType(call.Name, mode, depth);
                return;
            }
            case "ksym" or "usym":
                if (args.Count != 1) throw Error(call.Span, $"{call.Name}() takes one address");
                CheckExpression(args[0]);
                if (finalPass && !args[0].Type.IsInteger) throw Error(args[0].Span, $"{call.Name}() expects an integer address, not {args[0].Type}");
                call.Type = call.Name == "ksym" ? new ScriptType(TypeKind.Ksym, 8) : new ScriptType(TypeKind.Usym, 16);
                return;
            case "uptr" or "kptr":
                // Only marks the address space for bpftrace's reads: the value and its type stay as they are.
                if (args.Count != 1) throw Error(call.Span, $"{call.Name}() requires one argument ({args.Count} provided)");
                CheckExpression(args[0]);
                if (finalPass && !args[0].Type.IsInteger) throw Error(call.Span, $"{call.Name}() only supports integer or pointer arguments ({ArgumentTypeName(args[0].Type)} provided)");
                call.Type = args[0].Type;
                return;
            case "bswap":
                if (args.Count != 1) throw Error(call.Span, $"bswap() requires one argument ({args.Count} provided)");
                CheckExpression(args[0]);
                if (finalPass && args[0].Type.Kind != TypeKind.Integer) throw Error(call.Span, $"bswap() only supports integer arguments ({ArgumentTypeName(args[0].Type)} provided)");
                // bpftrace's result is unsigned, of the argument's size.
                call.Type = ScriptType.Integer(args[0].Type.Kind == TypeKind.Integer ? args[0].Type.Size : 8, false);
                return;
            case "strerror":
                if (args.Count != 1) throw Error(call.Span, $"strerror() requires one argument ({args.Count} provided)");
                CheckExpression(args[0]);
                if (finalPass && !args[0].Type.IsInteger) throw Error(call.Span, $"strerror() only supports integer arguments ({ArgumentTypeName(args[0].Type)} provided)");
                call.Type = new ScriptType(TypeKind.Strerror, 8);
                return;
            case "macaddr":
                if (args.Count != 1) throw Error(call.Span, $"macaddr() requires one argument ({args.Count} provided)");
                if (args[0] is StringLiteral) throw Error(call.Span, "macaddr() does not support literal string arguments");
                CheckExpression(args[0]);
                if (finalPass && !args[0].Type.IsInteger && !(args[0].Type.Kind == TypeKind.String && args[0].Type.Size == 6))
                    throw Error(call.Span, args[0].Type.Kind is TypeKind.String or TypeKind.Record or TypeKind.Tuple
                        ? "macaddr() argument must be 6 bytes in size"
                        : $"macaddr() only supports array or pointer arguments ({ArgumentTypeName(args[0].Type)} provided)");
                call.Type = new ScriptType(TypeKind.MacAddress, 8);
                return;
            case "debugf":
            {
                if (args.Count == 0) throw Error(call.Span, "debugf() requires at least 1 argument (0 provided)");
                foreach (var a in args) CheckExpression(a);
                if (args[0] is not StringLiteral debugFormat)
                    throw Error(call.Span, $"debugf() expects a string literal ({(args[0].Type.IsInteger ? "integer" : ArgumentTypeName(args[0].Type))} provided)");
                // bpf_trace_printk takes at most 3 values.
                if (args.Count > 4) throw Error(call.Span, "debugf: Cannot use more than 3 conversion specifiers");
                var arguments = args.Skip(1).Select(a => a.Type.IsInteger ? ScriptType.Integer(8, a.Type.Signed) : a.Type).ToList();
                if (finalPass)
                {
                    PrintfFormatter.Check(debugFormat.Value, arguments, (index, message) => throw Error(call.Span, message.Replace("printf", "debugf")));
                    if (arguments.Any(a => a.Kind != TypeKind.String && !a.IsInteger))
                        throw Error(call.Span, "debugf() takes integers and strings only");
                }
                call.Type = ScriptType.None;
                return;
            }
            case "strcontains":
                if (args.Count != 2) throw Error(call.Span, $"strcontains() requires 2 arguments ({args.Count} provided)");
                foreach (var a in args) CheckExpression(a);
                if (finalPass && args.FirstOrDefault(a => a.Type.Kind != TypeKind.String) is { } notString)
                    throw Error(call.Span, $"strcontains() only supports string arguments ({(notString.Type.IsInteger ? "integer" : notString.Type.ToString())} provided)");
                call.Type = ScriptType.UInt64;
                return;
            case "cgroupid":
            {
                if (args.Count != 1 || args[0] is not StringLiteral cgroupPath) throw Error(call.Span, "cgroupid() takes a string literal path: cgroupid(\"/sys/fs/cgroup/unified/user.slice\")");
                if (finalPass && CgroupId.Find(cgroupPath.Value, out var failure) is null)
                    throw Error(call.Span, $"Failed to get `cgroupid` for path: \"{cgroupPath.Value}\": {Runtime.ErrnoMessage.Text((long)failure)}");
                call.Type = ScriptType.UInt64;
                return;
            }
            case "cgroup_path":
                if (args.Count is < 1 or > 2) throw Error(call.Span, $"cgroup_path() requires 1 or 2 arguments ({args.Count} provided)");
                CheckExpression(args[0]);
                if (finalPass && !args[0].Type.IsInteger) throw Error(call.Span, $"cgroup_path() only supports integer arguments ({ArgumentTypeName(args[0].Type)} provided)");
                if (args.Count == 2 && args[1] is not StringLiteral) throw Error(args[1].Span, "cgroup_path() filter must be a string literal");
                call.Type = new ScriptType(TypeKind.CgroupPath, 8) { CgroupFilter = args.Count == 2 ? ((StringLiteral)args[1]).Value : "*" };
                return;
            case "pton":
            {
                if (args.Count != 1) throw Error(call.Span, $"pton() requires one argument ({args.Count} provided)");
                if (args[0] is not StringLiteral text)
                {
                    CheckExpression(args[0]);
                    // bpftrace's wording, article included.
                    throw Error(call.Span, $"pton() expects an string argument of an IPv4/IPv6 address, got {args[0].Type}");
                }
                var bytes = AddressBytes.Parse(text.Value) ?? throw Error(call.Span, $"pton() expects a valid IPv4/IPv6 address, got {text.Value}");
                call.Type = new ScriptType(TypeKind.Array, bytes.Length);
                return;
            }
            case "reg":
            {
                if (args.Count != 1 || args[0] is not StringLiteral register) throw Error(call.Span, "reg() takes a register name: reg(\"ip\")");
                if (RegisterOffset(register.Value) is null) throw Error(args[0].Span, $"unknown register '{register.Value}'");
                if (!probe.HasRegisters && probe.Kind is not (ProbeKind.Profile or ProbeKind.Interval or ProbeKind.Software))
                    throw Error(call.Span, "reg() needs a probe with registers (kprobe, uprobe, profile)");
                call.Type = ScriptType.UInt64;
                return;
            }
            case "signal":
                if (!unsafeAllowed) throw Error(call.Span, "signal() is unsafe: run with --unsafe to use it");
                if (args.Count != 1) throw Error(call.Span, "signal() takes a signal number or name");
                if (args[0] is StringLiteral name && SignalNumber(name.Value) is null) throw Error(args[0].Span, $"unknown signal '{name.Value}'");
                if (args[0] is not StringLiteral) CheckExpression(args[0]);
                call.Type = ScriptType.None;
                return;
            case "system" or "cat":
            {
                if (call.Name == "system" && !unsafeAllowed) throw Error(call.Span, "system() is unsafe: run with --unsafe to use it");
                if (args.Count == 0 || args[0] is not StringLiteral format) throw Error(call.Span, $"{call.Name}() needs a string literal format as its first argument");
                for (var i = 1; i < args.Count; i++) CheckExpression(args[i]);
                var arguments = args.Skip(1).Select(a => a.Type.IsInteger ? ScriptType.Integer(8, a.Type.Signed) : a.Type).ToList();
                if (finalPass) PrintfFormatter.Check(format.Value, arguments, (index, message) => throw Error(index < 0 ? format.Span : args[index + 1].Span, message.Replace("printf", call.Name)));
                printfIds[call] = printfs.Count;
                printfs.Add(new PrintfFormat(format.Value, arguments) { Action = call.Name });
                call.Type = ScriptType.None;
                return;
            }
            case "time":
                if (args.Count > 1 || (args.Count == 1 && args[0] is not StringLiteral)) throw Error(call.Span, "time() takes an optional string literal format");
                call.Type = ScriptType.None;
                return;
            case "join":
                if (args.Count is < 1 or > 2) throw Error(call.Span, "join() takes an array of strings and an optional separator");
                CheckExpression(args[0]);
                if (finalPass && !args[0].Type.IsInteger) throw Error(args[0].Span, $"join() expects a pointer to an array of strings, not {args[0].Type}");
                if (args.Count == 2 && args[1] is not StringLiteral) throw Error(args[1].Span, "join() separator must be a string literal");
                call.Type = ScriptType.None;
                return;
            case "strftime":
                if (args.Count != 2 || args[0] is not StringLiteral timeFormat) throw Error(call.Span, "strftime() takes a string literal format and a timestamp: strftime(\"%H:%M:%S\", nsecs)");
                CheckExpression(args[1]);
                if (finalPass && !args[1].Type.IsInteger) throw Error(args[1].Span, $"strftime() expects an integer timestamp, not {args[1].Type}");
                call.Type = new ScriptType(TypeKind.Timestamp, 8) { TimeFormat = timeFormat.Value };
                return;
            case "buf":
            {
                if (args.Count is < 1 or > 2) throw Error(call.Span, "buf() takes an address or array and an optional length");
                foreach (var a in args) CheckExpression(a);
                if (finalPass && args[0].Type.Kind != TypeKind.String && !args[0].Type.IsInteger)
                    throw Error(args[0].Span, $"buf() expects a pointer or an array, not {args[0].Type}");
                if (finalPass && args.Count == 1 && args[0].Type.Kind != TypeKind.String)
                    throw Error(call.Span, "buf() of a pointer needs a length: buf(ptr, len)");
                if (finalPass && args.Count == 2 && !args[1].Type.IsInteger) throw Error(args[1].Span, $"buf() length must be an integer, not {args[1].Type}");
                // A literal length sizes the buffer; a computed one is clamped at run time to the string size limit.
                var capacity = args.Count == 2
                    ? args[1] is IntegerLiteral literal ? (int)Math.Min(literal.Value, (ulong)DefaultStringSize) : DefaultStringSize
                    : Math.Min(args[0].Type.Size, DefaultStringSize);
                call.Type = new ScriptType(TypeKind.Buffer, 8 + Math.Max(1, capacity));
                return;
            }
            case "ntop":
            {
                if (args.Count is < 1 or > 2) throw Error(call.Span, "ntop() takes an address, or a family and an address: ntop(addr), ntop(AF_INET6, addr)");
                foreach (var a in args) CheckExpression(a);
                var address = args[^1];
                if (finalPass && args.Count == 2 && !args[0].Type.IsInteger) throw Error(args[0].Span, $"ntop() address family must be an integer (AF_INET 2, AF_INET6 10), not {args[0].Type}");
                if (finalPass && InetArrayLength(address) is null && !address.Type.IsInteger)
                    throw Error(address.Span, $"ntop() expects an integer or a 4- or 16-byte array, not {address.Type}");
                call.Type = new ScriptType(TypeKind.Inet, 24);
                return;
            }
            case "uaddr":
            {
                if (args.Count != 1 || args[0] is not StringLiteral userSymbol) throw Error(call.Span, "uaddr() takes a string literal symbol name: uaddr(\"ps1_prompt\")");
                if (probe.Kind is not (ProbeKind.Uprobe or ProbeKind.Uretprobe or ProbeKind.Usdt))
                    throw Error(call.Span, "uaddr can only be used with uprobes, uretprobes and usdt probes");
                var found = UserSymbolAddress.Find(probe.Target, userSymbol.Value) ?? throw Error(args[0].Span, $"Could not resolve symbol: {probe.Target}:{userSymbol.Value}");
                // bpftrace types the address by the symbol's size, so that *uaddr() reads the right width.
                call.Type = ScriptType.Pointer(found.Size switch { 1 => "uint8", 2 => "uint16", 4 => "uint32", _ => "uint64" });
                return;
            }
            case "path":
            {
                // bpf_d_path is only callable from fentry/fexit (and LSM, iterator) programs, and the kernel
                // allows it only on some functions (its btf_allowlist_d_path); the verifier has the last word.
                if (probe.Tracing is null) throw Error(call.Span, "The path function can only be used with 'kfunc', 'kretfunc', 'iter' probes");
                if (args.Count != 1) throw Error(call.Span, "path() takes one argument: a struct path pointer, e.g. path(args->path)");
                CheckExpression(args[0]);
                if (finalPass && !args[0].Type.IsInteger && !(args[0].Type.Kind == TypeKind.Record && args[0].Type.Pointee == "struct path"))
                    throw Error(args[0].Span, $"path() expects a struct path pointer, not {args[0].Type}");
                call.Type = ScriptType.String(DefaultStringSize);
                return;
            }
            case "override":
                if (!unsafeAllowed) throw Error(call.Span, "override() is unsafe: run with --unsafe to use it");
                if (probe.Kind != ProbeKind.Kprobe) throw Error(call.Span, "override() can only be used in kprobe probes");
                if (args.Count != 1) throw Error(call.Span, "override() takes one argument: the return value to force");
                CheckExpression(args[0]);
                if (finalPass && !args[0].Type.IsInteger) throw Error(args[0].Span, $"override() expects an integer, not {args[0].Type}");
                call.Type = ScriptType.None;
                return;
            case "kaddr":
                if (args.Count != 1 || args[0] is not StringLiteral symbol) throw Error(call.Span, "kaddr() takes a string literal symbol name: kaddr(\"vfs_read\")");
                if (finalPass && KernelSymbolAddress.Find(symbol.Value) is null) throw Error(args[0].Span, $"Failed to resolve kernel symbol: {symbol.Value}");
                call.Type = ScriptType.UInt64;
                return;
            case "exit":
                if (args.Count != 0) throw Error(call.Span, "exit() takes no arguments");
                call.Type = ScriptType.None;
                return;
            case "str":
            {
                if (args.Count is < 1 or > 2) throw Error(call.Span, "str() takes 1 or 2 arguments");
                foreach (var a in args) CheckExpression(a);
                if (args[0] is PositionalParameter && args[0].Type.Kind == TypeKind.String)
                {
                    // str($1): bpftrace's way to use a positional parameter as a string.
                    call.Type = args[0].Type;
                    return;
                }
                if (!args[0].Type.IsInteger && finalPass)
                    throw Error(call.Span, $"str() expects an integer or a pointer type as first argument ({args[0].Type} provided)");
                var size = DefaultStringSize;
                if (args.Count == 2)
                {
                    if (args[1] is not IntegerLiteral { Value: > 0 } length) throw Error(args[1].Span, "str() length must be a positive integer literal");
                    size = (int)Math.Min(length.Value + 1, (ulong)MaxStringSize);
                }
                call.Type = ScriptType.String(size);
                return;
            }
            case "delete":
            case "clear":
            case "zero":
            case "print":
            {
                if (args.Count == 0) throw Error(call.Span, $"{call.Name}() needs a map argument");
                if (call.Name == "print" && args[0] is not MapAccess)
                {
                    if (args.Count != 1) throw Error(call.Span, "print() of a value takes one argument");
                    CheckExpression(args[0]);
                    call.Type = ScriptType.None;
                    return;
                }
                if (args[0] is not MapAccess target) throw Error(args[0].Span, $"{call.Name}() expects a map, e.g. {call.Name}(@x)");
                if (call.Name == "delete" && target.Keys.Count == 0 && args.Count == 1)
                {
                    // delete(@x) of a keyless map is allowed (bpftrace 0.17).
                }
                if (call.Name != "delete" && target.Keys.Count > 0) throw Error(target.Span, $"{call.Name}() expects a whole map, without a key");
                if (call.Name == "print" && args.Count > 3) throw Error(call.Span, "print() takes a map and optional top and div");
                if (call.Name is "clear" or "zero" && args.Count != 1) throw Error(call.Span, $"{call.Name}() takes one argument");
                if (!maps.TryGetValue(target.Name, out var info)) maps[target.Name] = info = new MapInfo(target.Name, target.Span);
                if (target.Keys.Count > 0) MapFor(target);
                for (var i = 1; i < args.Count; i++)
                {
                    CheckExpression(args[i]);
                    if (args[i] is not IntegerLiteral) throw Error(args[i].Span, "print() top and div must be integer literals");
                }
                call.Type = ScriptType.None;
                return;
            }
            case "strncmp":
            {
                if (args.Count != 3) throw Error(call.Span, "strncmp() takes 3 arguments");
                foreach (var a in args) CheckExpression(a);
                if (finalPass && (args[0].Type.Kind != TypeKind.String || args[1].Type.Kind != TypeKind.String)) throw Error(call.Span, "strncmp() compares two strings");
                if (args[2] is not IntegerLiteral) throw Error(args[2].Span, "strncmp() length must be an integer literal");
                call.Type = ScriptType.UInt64;
                return;
            }
            case "sizeof":
                throw Error(call.Span, "sizeof needs a type or expression in parentheses");
            default:
                throw Error(call.NameSpan, $"unknown function: '{call.Name}'");
        }
    }

    /// <summary>A type as bpftrace names an argument's in its builtin errors: strings without their size.</summary>
    private static string ArgumentTypeName(ScriptType type) => type.Kind == TypeKind.String ? "string" : type.ToString();

    /// <summary>SIGKILL or KILL or 9 → 9.</summary>
    public static int? SignalNumber(string name)
    {
        if (int.TryParse(name, out var n)) return n is > 0 and < 65 ? n : null;
        var names = new[] { "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS" };
        var index = Array.IndexOf(names, name.StartsWith("SIG", StringComparison.Ordinal) ? name[3..] : name);
        return index > 0 ? index : null;
    }

    private ScriptType StackType(string name, string mode, int depth)
    {
        if (name == "kstack") usesKernelStacks = true;
        // The raw tracepoint's kernel stack starts in other frames than the perf tracepoint's.
        if (name == "kstack" && probe.Syscall is not null) needsRecord.Add(probe);
        else usesUserStacks = true;
        return new ScriptType(name == "kstack" ? TypeKind.Kstack : TypeKind.Ustack, name == "kstack" ? 8 : 16) { Stack = (mode, depth) };
    }

    /// <summary>
    /// The byte length (4 or 16) of an address array ntop() reads from memory: a tracepoint field
    /// such as <c>__u8 saddr_v6[16]</c>, or a struct member that is a byte array or a struct
    /// in6_addr/in_addr; null when the expression is no such array.
    /// </summary>
    public static int? InetArrayLength(Expression e) => e switch
    {
        { Type: { Kind: TypeKind.Array, Size: 4 or 16 } array } => array.Size,
        FieldAccess { Target: Identifier { Name: "args", Type.Kind: TypeKind.Record } } f when f.TracepointField is { ArrayLength: not null, Size: 4 or 16 } field => field.Size,
        FieldAccess { Target.Type.Kind: TypeKind.Pointer or TypeKind.Record, Type.Kind: TypeKind.String or TypeKind.Record, Type.Size: 4 or 16 } f
            when f.Target is not Identifier { Name: "args" } => f.Type.Size,
        _ => null,
    };

    /// <summary>Offset in pt_regs of a register named as in bpftrace's reg() (x86_64 names; arg registers by their ABI names).</summary>
    public static int? RegisterOffset(string name) => Kernel.Arch.Current.Name == "x86_64"
        ? Array.IndexOf(X64Registers, name) is var i and >= 0 ? i * 8 : null
        : name switch { "ip" or "pc" => Kernel.Arch.Current.InstructionPointerOffset, "sp" => Kernel.Arch.Current.StackPointerOffset, _ => null };

    private static readonly string[] X64Registers =
        ["r15", "r14", "r13", "r12", "bp", "bx", "r11", "r10", "r9", "r8", "ax", "cx", "dx", "si", "di", "orig_ax", "ip", "cs", "flags", "sp", "ss"];

    private static string OperatorText(TokenKind kind) => kind switch
    {
        TokenKind.Plus => "+", TokenKind.Minus => "-", TokenKind.Star => "*", TokenKind.Slash => "/", TokenKind.Percent => "%",
        TokenKind.Ampersand => "&", TokenKind.Pipe => "|", TokenKind.Caret => "^", TokenKind.Shl => "<<", TokenKind.Shr => ">>",
        TokenKind.Less => "<", TokenKind.LessEqual => "<=", TokenKind.Greater => ">", TokenKind.GreaterEqual => ">=",
        TokenKind.EqualEqual => "==", TokenKind.NotEqual => "!=", TokenKind.AndAnd => "&&", TokenKind.OrOr => "||",
        TokenKind.Bang => "!", TokenKind.Tilde => "~",
        _ => kind.ToString(),
    };

    private static ScriptException Error(SourceSpan span, string message) => new(new Diagnostic(span, message));
}
