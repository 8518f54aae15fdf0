namespace Sharptrace.Tracing.Symbols;

/// <summary>
/// Readable names for mangled symbols, as perf report shows them: Rust first (its legacy names look
/// like Itanium ones but carry a hash), then C++ (Itanium ABI); anything else, or a name these small
/// demanglers do not cover, comes back unchanged.
/// </summary>
public static class Demangler
{
    /// <summary>The demangled name, or <paramref name="name"/> itself.</summary>
    public static string Demangle(string name)
    {
        if (name.Length < 3 || name[0] != '_' || (name[1] != 'Z' && name[1] != 'R')) return name;
        if (RustDemangler.TryDemangle(name, out var rust)) return rust;
        return ItaniumDemangler.TryDemangle(name, out var cpp) ? cpp : name;
    }
}
