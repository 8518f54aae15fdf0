using Sharptrace.Script.Diagnostics;
using Sharptrace.Script.Syntax.Ast;

namespace Sharptrace.Script.Semantics;

/// <summary>A struct defined in the script: its C layout (size, alignment) and its fields' offsets and types.</summary>
internal sealed record ScriptStruct(string Name, int Size, int Alignment, IReadOnlyDictionary<string, (int Offset, ScriptType Type)> Fields);

/// <summary>
/// Lays out the script's <c>struct foo { int a; char name[16]; u64 b; }</c> definitions with the C
/// rules of the x86_64/arm64 ABIs: each field at the next multiple of its alignment (its size for
/// scalars and pointers, its element's for arrays, its largest field's for structs), the struct
/// padded to a multiple of its own alignment.
/// </summary>
internal static class ScriptStructs
{
    public static Dictionary<string, ScriptStruct> Layout(IReadOnlyList<StructDefinition> definitions)
    {
        var structs = new Dictionary<string, ScriptStruct>(StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            var name = "struct " + definition.Name;
            if (structs.ContainsKey(name)) throw new ScriptException(new Diagnostic(definition.Span, $"{name} is defined twice"));
            var fields = new Dictionary<string, (int, ScriptType)>(StringComparer.Ordinal);
            var offset = 0;
            var alignment = 1;
            foreach (var (typeName, fieldName) in definition.Fields)
            {
                var (type, size, align) = FieldType(typeName, structs);
                offset = (offset + align - 1) / align * align;
                if (!fields.TryAdd(fieldName, (offset, type)))
                    throw new ScriptException(new Diagnostic(typeName.Span, $"{name} has two fields named '{fieldName}'"));
                offset += size;
                alignment = Math.Max(alignment, align);
            }
            var total = (offset + alignment - 1) / alignment * alignment;
            structs[name] = new ScriptStruct(name, total, alignment, fields);
        }
        return structs;
    }

    /// <summary>A field's script type, its size in the struct and its alignment.</summary>
    private static (ScriptType Type, int Size, int Alignment) FieldType(TypeName name, Dictionary<string, ScriptStruct> structs)
    {
        var count = name.ArrayLength ?? 1;
        if (name.PointerDepth > 0)
        {
            var pointer = ScriptType.Pointer(name.Name + new string('*', name.PointerDepth - 1));
            return name.ArrayLength is null ? (pointer, 8, 8) : (pointer with { IsArrayAddress = true }, 8 * count, 8);
        }
        if (structs.TryGetValue(name.Name, out var inner))
        {
            var record = new ScriptType(TypeKind.Record, inner.Size) { Pointee = inner.Name };
            return name.ArrayLength is null ? (record, inner.Size, inner.Alignment)
                : (ScriptType.Pointer(inner.Name) with { IsArrayAddress = true }, inner.Size * count, inner.Alignment);
        }
        if (name.Name.StartsWith("struct ", StringComparison.Ordinal) || name.Name.StartsWith("union ", StringComparison.Ordinal))
            throw new ScriptException(new Diagnostic(name.Span, $"unknown type '{name.Name}': define it before this struct, or use a pointer to it"));
        var scalar = TypeChecker.TypeOfName(name);
        if (name.ArrayLength is null) return (scalar, scalar.Size, scalar.Size);
        // char name[16] is a string, as in BTF structs; other arrays are read through their address.
        if (scalar.Size == 1) return (ScriptType.String(count), count, 1);
        return (ScriptType.Pointer(name.Name) with { IsArrayAddress = true }, scalar.Size * count, scalar.Size);
    }
}
