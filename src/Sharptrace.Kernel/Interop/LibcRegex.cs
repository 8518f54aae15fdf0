using System.Runtime.InteropServices;

namespace Sharptrace.Kernel.Interop;

/// <summary>libc's POSIX regular expressions: regcomp, regexec, regerror, regfree.</summary>
internal static unsafe partial class LibcRegex
{
    private const string Lib = "libc";

    /// <summary>Bytes reserved for a regex_t (64 on glibc x86_64 and arm64).</summary>
    public const int RegexSize = 256;

    public const int Extended = 1; // REG_EXTENDED
    public const int NoSub = 8;    // REG_NOSUB

    [LibraryImport(Lib, EntryPoint = "regcomp")]
    internal static partial int Compile(byte* regex, byte* pattern, int flags);

    [LibraryImport(Lib, EntryPoint = "regexec")]
    internal static partial int Execute(byte* regex, byte* text, nuint matches, nint matchArray, int flags);

    [LibraryImport(Lib, EntryPoint = "regerror")]
    internal static partial nuint Error(int code, byte* regex, byte* buffer, nuint size);

    [LibraryImport(Lib, EntryPoint = "regfree")]
    internal static partial void Free(byte* regex);
}
