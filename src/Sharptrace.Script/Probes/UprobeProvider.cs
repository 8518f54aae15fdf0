using Sharptrace.Bpf.Elf;
using Sharptrace.Bpf.Programs;
using Sharptrace.Script.Syntax.Ast;

namespace Sharptrace.Script.Probes;

/// <summary>uprobe:BINARY:FUNCTION (path, program in PATH, or library name like "libc"), uretprobe; wildcards over the ELF symbols.</summary>
internal sealed class UprobeProvider(bool isReturn) : IProbeProvider
{
    public IReadOnlyList<string> Names { get; } = isReturn ? ["uretprobe", "ur"] : ["uprobe", "u"];

    public IEnumerable<ResolvedProbe> Resolve(AttachPointNode node, string[] parts)
    {
        if (parts.Length != 3 || parts[1].Length == 0 || parts[2].Length == 0)
            throw ProbeProviders.Error(node, $"{parts[0]} probes take a binary and a function: {parts[0]}:/bin/bash:readline");
        string path;
        try { path = BinaryPathResolver.Default.Resolve(parts[1]); }
        catch (Exception e) when (e is FileNotFoundException or IOException or ArgumentException or SymbolNotFoundException)
        {
            throw ProbeProviders.Error(node, $"binary not found: {parts[1]}");
        }
        var kind = isReturn ? ProbeKind.Uretprobe : ProbeKind.Uprobe;
        var function = parts[2];
        var names = new List<string>();
        if (ProbeProviders.HasWildcard(function))
        {
            try
            {
                var elf = ElfFile.Load(path);
                names.AddRange(elf.Symbols.Concat(elf.DynamicSymbols).Where(s => s.IsDefinedFunction && ProbeProviders.Matches(function, s.Name))
                    .Select(s => s.Name).Distinct().Order(StringComparer.Ordinal));
            }
            catch (ElfFormatException e) { throw ProbeProviders.Error(node, $"{path}: not a usable ELF binary: {e.Problem}"); }
            if (names.Count == 0) throw ProbeProviders.Error(node, $"no function in {path} matches '{function}'");
        }
        else names.Add(function);
        foreach (var name in names)
        {
            ulong offset;
            try { offset = ElfFile.ResolveUprobeOffset(path, name); }
            catch (SymbolNotFoundException) { throw ProbeProviders.Error(node, $"function '{name}' not found in {path}"); }
            catch (ElfFormatException e) { throw ProbeProviders.Error(node, $"{path}: not a usable ELF binary: {e.Problem}"); }
            yield return new ResolvedProbe(kind, $"{Names[0]}:{path}:{name}", path, name) { Number = offset };
        }
    }

    public IDisposable? Attach(BpfProgram program, ResolvedProbe probe, int pid) =>
        Bpf.Links.Attach.Uprobe(program, probe.Target, probe.Number, probe.IsReturn, pid);
}
