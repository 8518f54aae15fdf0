using System.Text;
using Sharptrace.Syscalls.Decoding;

namespace Sharptrace.Syscalls.Formatting;

/// <summary>
/// The text of a call, asked for only when the writer knows which shape the line takes: most calls
/// end before another task's line comes in, and are then decoded once, whole.
/// </summary>
internal interface ICallText
{
    /// <summary>The call's name.</summary>
    string Name(SyscallRecord call);

    /// <summary><c>name(args…</c>: the part known at entry, for a line that ends <c>&lt;unfinished ...&gt;</c>.</summary>
    string Entry(SyscallRecord call);

    /// <summary>The arguments after the entry part and the closing parenthesis, for a <c>&lt;... name resumed&gt;</c> line.</summary>
    string Rest(SyscallRecord call);

    /// <summary>Appends <c>name(args)</c>.</summary>
    void Whole(StringBuilder line, SyscallRecord call);

    /// <summary>Each argument's text, as <see cref="Whole"/> prints them (for --json).</summary>
    IReadOnlyList<string> Arguments(SyscallRecord call);

    /// <summary>What goes before <c>&lt;... name resumed&gt;</c>: the timestamps of the return, and -n's number.</summary>
    string ResumedLead(SyscallRecord call);

    /// <summary>The return value and anything after it (<c>-T</c>'s duration).</summary>
    string Result(SyscallRecord call);
}
