namespace Sharptrace.Syscalls.Decoding;

/// <summary>The format of one call: its arguments in order and its return value.</summary>
internal sealed record SyscallDecoder(string Name, Arg[] Args, ReturnKind Return = ReturnKind.Int);
