using Sharptrace.Syscalls.Decoding.Families;

namespace Sharptrace.Syscalls.Decoding;

/// <summary>The decoders by call name; calls without one print their raw arguments.</summary>
internal static class DecoderTable
{
    private static readonly Dictionary<string, SyscallDecoder> ByName = Build();

    private static Dictionary<string, SyscallDecoder> Build()
    {
        var table = new Dictionary<string, SyscallDecoder>(StringComparer.Ordinal);
        foreach (var d in FileCalls.All.Concat(MemoryCalls.All).Concat(ProcessCalls.All).Concat(SignalCalls.All).Concat(NetworkCalls.All).Concat(TimeCalls.All))
            table[d.Name] = d;
        return table;
    }

    public static SyscallDecoder? Find(string name) => ByName.GetValueOrDefault(name);

    public static int Count => ByName.Count;
}
