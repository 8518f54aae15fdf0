using System.Globalization;
using System.Text;
using Sharptrace.Bpf.Maps;
using Sharptrace.Script.Semantics;
using Sharptrace.Tracing.Symbols;

namespace Sharptrace.Script.Runtime;

/// <summary>
/// Turns stack ids and addresses into text as bpftrace 0.17 prints them: one frame per line,
/// after a newline, indented (8 blanks in values, 4 in map keys), "symbol+offset" in bpftrace mode,
/// tab, address, "symbol+offset" and for user frames "(module)" in perf mode, bare addresses in raw mode. Symbol tables are read on first use only.
/// </summary>
internal sealed class StackFormatter(BpfMap? kernelStacks, BpfMap? userStacks)
{
    public const int MaxDepth = 127;
    private Symbolizer? symbolizer;

    private Symbolizer Symbols => symbolizer ??= Symbolizer.ForLiveProcesses();

    public string Stack(ScriptType type, byte[] data, int offset, bool asKey)
    {
        var user = type.Kind == TypeKind.Ustack;
        var id = BitConverter.ToInt64(data, offset);
        var pid = user ? (int)BitConverter.ToInt64(data, offset + 8) : 0;
        var map = user ? userStacks : kernelStacks;
        var frames = new List<ulong>();
        if (id >= 0 && map is not null)
        {
            var raw = new byte[map.Spec.ValueSize];
            if (map.TryLookup(BitConverter.GetBytes((uint)id), raw))
                for (var i = 0; i + 8 <= raw.Length && frames.Count < type.Stack.Depth; i += 8)
                {
                    var ip = BitConverter.ToUInt64(raw, i);
                    if (ip == 0) break;
                    frames.Add(ip);
                }
        }
        var indent = new string(' ', asKey ? 4 : 8);
        var builder = new StringBuilder();
        builder.Append('\n');
        foreach (var ip in frames)
        {
            var symbol = user ? Symbols.Resolve(pid, ip) : Symbols.Kernel?.Resolve(ip) ?? ResolvedSymbol.Unknown;
            switch (type.Stack.Mode)
            {
                case "raw": builder.Append(indent).Append(ip.ToString("x", CultureInfo.InvariantCulture)).Append('\n'); break;
                case "perf":
                    // perf's layout; only user frames name their module.
                    builder.Append('\t').Append(ip.ToString("x", CultureInfo.InvariantCulture)).Append(' ').Append(Frame(symbol, ip));
                    if (user) builder.Append(" (").Append(symbol.Module).Append(')');
                    builder.Append('\n');
                    break;
                default: builder.Append(indent).Append(Frame(symbol, ip)).Append('\n'); break;
            }
        }
        return builder.ToString();
    }

    public string Ksym(ulong address)
    {
        var symbol = Symbols.Kernel?.Resolve(address) ?? ResolvedSymbol.Unknown;
        return symbol.Name ?? $"0x{address:x16}";
    }

    public string Usym(ulong address, int pid)
    {
        var symbol = Symbols.Resolve(pid, address);
        return symbol.Name ?? $"0x{address:x}";
    }

    private static string Frame(ResolvedSymbol symbol, ulong ip) =>
        symbol.Name is null ? "[unknown]" : symbol.Offset == 0 ? symbol.Name : $"{symbol.Name}+{symbol.Offset}";
}
