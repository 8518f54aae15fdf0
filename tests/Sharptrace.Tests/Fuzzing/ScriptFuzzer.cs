using System.Text;
using Sharptrace.Script;
using Sharptrace.Script.Diagnostics;
using Sharptrace.Script.Runtime;
using Sharptrace.Script.Syntax;
using Sharptrace.Tests.Script;

namespace Sharptrace.Tests.Fuzzing;

/// <summary>How one fuzzed script went through the front end.</summary>
internal enum ScriptOutcome { SyntaxError, SemanticError, CodegenError, Compiled, Crash }

/// <summary>
/// Random and mutated bpftrace scripts, and the run of one through the whole front end (parse,
/// semantic pass with <see cref="OfflineProbes"/>, code generation of every probe). Script number i
/// of a seed is always the same text, so a failure reproduces from (seed, i) alone. Shared by
/// ParserFuzzTests (a fixed few thousand per test run) and bench's script-fuzz (millions).
/// </summary>
internal sealed class ScriptFuzzer(IReadOnlyList<string> corpus, int seed)
{
    /// <summary>Hand-written scripts that reach most of the grammar; the conformance cases are added to them.</summary>
    public static readonly string[] Seeds =
    [
        "BEGIN { printf(\"hello %d\\n\", 42); exit(); }",
        "tracepoint:syscalls:sys_enter_openat /pid == 1/ { @[comm] = count(); @f[str(args->filename)] = hist(arg0); }",
        "kprobe:do_nanosleep, kretprobe:vfs_* { $x = (uint32)arg0 << 2 | 1; if ($x > 3 && !($x % 2)) { @m[$x, \"a\"] += 1; } else { delete(@m[1, \"b\"]); } }",
        "struct S { int a; char b[4]; } uprobe:/bin/bash:readline { unroll(3) { @x++; } while ($i < 10) { $i++; continue; } print(@x, 3, 2); }",
        "interval:s:1 { @t = (1, \"x\", comm); printf(\"%-10s %5d %x\\n\", comm, pid, @t.0); @s = stats(nsecs); @l = lhist(rand % 100, 0, 100, 10); clear(@s); }",
        "kfunc:vfs_open { printf(\"%s\\n\", path(args->path)); } kretfunc:do_sys_openat2 { @r[retval] = count(); }",
        "kprobe:should_failslab { override(-12); } END { print(@x); time(\"%H:%M:%S\\n\"); }",
    ];

    private static readonly string[] Fragments =
    [
        "{", "}", "(", ")", "[", "]", "/", "*", ",", ";", ":", "?", "\"", "'", "$", "@", "#", "->", ".", "=", "+=", "++", "<<=",
        "BEGIN", "END", "if", "else", "while", "unroll", "struct", "sizeof", "0x", "1e", "\\", "/*", "//", "\n", "kprobe:", "$1", "$#",
        "printf(\"%d\", ", "str(", "@x[", "args->", "(uint8 *)", "-", "!", "~", "&&", "||",
    ];

    // Whole tokens of the language, for token streams that get further into the parser than random characters.
    private static readonly string[] Tokens =
    [
        "BEGIN", "END", "kprobe:vfs_read", "kretprobe:vfs_read", "tracepoint:syscalls:sys_enter_openat", "kfunc:vfs_open", "kretfunc:vfs_read",
        "uprobe:/bin/sh:main", "interval:s:1", "profile:hz:99", "software:cpu-clock:1000", "hardware:cycles:1", "rawtracepoint:sys_enter", "t:a:b", "k:f",
        "{", "}", "(", ")", "[", "]", ",", ";", ":", "?", "/", "->", ".", "=", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "%", "&", "|", "^",
        "<<", ">>", "&&", "||", "!", "~", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=",
        "if", "else", "while", "unroll", "return", "break", "continue", "struct", "union", "sizeof", "#include <linux/sched.h>\n",
        "$x", "$y", "@", "@m", "@m[1]", "@h", "$1", "$2", "$#", "0", "1", "-1", "0x10", "0777", "1_000", "18446744073709551615", "99999999999999999999",
        "\"a\"", "\"%d %s\\n\"", "\"\\x41\\n\"", "\"%-10s %5d %x %c %p %lld\"",
        "pid", "tid", "uid", "gid", "nsecs", "elapsed", "cpu", "comm", "kstack", "ustack", "func", "probe", "curtask", "rand", "cgroup",
        "args", "args->filename", "retval", "arg0", "arg9", "cpid", "username",
        "printf(", "print(", "count()", "sum(", "avg(", "min(", "max(", "stats(", "hist(", "lhist(", "clear(", "zero(", "delete(", "exit()",
        "str(", "buf(", "ksym(", "usym(", "kaddr(", "uaddr(", "ntop(", "join(", "time(", "strftime(", "strncmp(", "cat(", "signal(", "system(",
        "override(", "reg(", "path(", "(struct sock *)", "(uint8)", "(int64 *)", "->__sk_common", ".skc_family", "AF_INET",
    ];

    private readonly IReadOnlyList<string> corpus = [.. Seeds, .. corpus];

    /// <summary>The conformance .bt files under tests/conformance/cases, for mutation.</summary>
    public static IReadOnlyList<string> ConformanceScripts(string repoRoot)
    {
        var dir = Path.Combine(repoRoot, "tests", "conformance", "cases");
        return Directory.Exists(dir) ? [.. Directory.EnumerateFiles(dir, "*.bt").Order(StringComparer.Ordinal).Select(File.ReadAllText)] : [];
    }

    /// <summary>Script number <paramref name="index"/> of this seed.</summary>
    public string Script(long index)
    {
        var random = new Random(HashCode.Combine(seed, index));
        return random.Next(16) switch
        {
            0 or 1 or 2 => RandomCharacters(random),
            3 or 4 or 5 => RandomTokens(random),
            6 or 7 or 8 or 9 => MutateCharacters(random, Pick(random)),
            10 or 11 => MutateTokens(random, Pick(random)),
            12 or 13 => Splice(random),
            14 => MutateCharacters(random, MutateTokens(random, Pick(random))),
            _ => Nested(random),
        };
    }

    /// <summary>Runs <paramref name="text"/> through parse, semantics and code generation; a crash comes back as the exception.</summary>
    public static (ScriptOutcome Outcome, Exception? Crash) Exercise(string text, bool realProbes = false)
    {
        try
        {
            var source = new SourceText("fuzz", text);
            var (program, _) = ScriptCompiler.Parse(source);
            if (program is null) return (ScriptOutcome.SyntaxError, null);
            // Real probes: the providers look attach points up on this machine (tracefs, BTF, ELF files), attaching nothing.
            var (script, _) = ScriptCompiler.Compile(source, ["1", "x"], realProbes ? null : OfflineProbes.Resolve, allowUnsafe: text.Length % 2 == 0);
            if (script is null) return (ScriptOutcome.SemanticError, null);
            // Code generation too: its only way to fail is a diagnostic (e.g. the BPF stack limit).
            try { ScriptRunner.Dump(script); }
            catch (ScriptException) { return (ScriptOutcome.CodegenError, null); }
            return (ScriptOutcome.Compiled, null);
        }
        catch (Exception e)
        {
            return (ScriptOutcome.Crash, e);
        }
    }

    private string Pick(Random random) => corpus[random.Next(corpus.Count)];

    private static string RandomCharacters(Random random)
    {
        var builder = new StringBuilder();
        var length = random.Next(1, 80);
        for (var i = 0; i < length; i++)
            builder.Append(random.Next(3) == 0 ? (char)random.Next(1, 128) : Fragments[random.Next(Fragments.Length)]);
        return builder.ToString();
    }

    private static string RandomTokens(Random random)
    {
        var builder = new StringBuilder();
        var length = random.Next(1, 60);
        for (var i = 0; i < length; i++)
        {
            builder.Append(Tokens[random.Next(Tokens.Length)]);
            builder.Append(random.Next(4) == 0 ? "" : " ");
        }
        return builder.ToString();
    }

    private static string MutateCharacters(Random random, string text)
    {
        var chars = new StringBuilder(text);
        var edits = random.Next(1, 6);
        for (var i = 0; i < edits && chars.Length > 0; i++)
        {
            var at = random.Next(chars.Length);
            switch (random.Next(5))
            {
                case 0: chars.Remove(at, Math.Min(random.Next(1, 6), chars.Length - at)); break;
                case 1: chars.Insert(at, Fragments[random.Next(Fragments.Length)]); break;
                case 2: chars[at] = (char)random.Next(32, 127); break;
                case 3: chars.Insert(at, Tokens[random.Next(Tokens.Length)]); break;
                default: chars.Insert(at, chars.ToString(random.Next(chars.Length), 1)); break;
            }
        }
        return chars.ToString();
    }

    // Token-level edits: split at spaces and punctuation boundaries, then delete, duplicate, swap or replace whole words.
    private static string MutateTokens(Random random, string text)
    {
        var words = new List<string>(text.Split(' '));
        var edits = random.Next(1, 4);
        for (var i = 0; i < edits && words.Count > 0; i++)
        {
            var at = random.Next(words.Count);
            switch (random.Next(4))
            {
                case 0: words.RemoveAt(at); break;
                case 1: words.Insert(at, words[random.Next(words.Count)]); break;
                case 2: words[at] = Tokens[random.Next(Tokens.Length)]; break;
                default:
                    var other = random.Next(words.Count);
                    (words[at], words[other]) = (words[other], words[at]);
                    break;
            }
        }
        return string.Join(' ', words);
    }

    private string Splice(Random random)
    {
        var a = Pick(random);
        var b = Pick(random);
        return a[..random.Next(a.Length + 1)] + b[random.Next(b.Length + 1)..];
    }

    // Deep nesting, long chains and long inputs: recursion limits and quadratic paths show up here, not in short random text.
    private static string Nested(Random random)
    {
        if (random.Next(2) == 0) return Chain(random);
        var depth = random.Next(1, 3000);
        string[] opens = ["(", "{", "[", "!", "-", "~", "if (1) {", "$x = (", "@m[", "str(", "(uint8)", "1 ? ", "*", "while (1) {", "unroll(2) {"];
        var open = opens[random.Next(opens.Length)];
        var body = new StringBuilder("BEGIN { ");
        for (var i = 0; i < depth; i++) body.Append(open);
        body.Append(random.Next(2) == 0 ? "1" : "comm");
        if (random.Next(3) > 0)
        {
            var close = open switch { "(" or "$x = (" or "str(" => ")", "{" or "if (1) {" or "while (1) {" or "unroll(2) {" => "}", "[" or "@m[" => "]", _ => "" };
            for (var i = 0; i < depth; i++) body.Append(close);
        }
        body.Append(" }");
        return body.ToString();
    }

    // Operators and else-ifs in a row build trees as deep as the chain is long, without any nesting in the text.
    private static string Chain(Random random)
    {
        var length = random.Next(1, 20000);
        string[] links = [" + 1", " && 1", " << 1", "->a", ".b", "[1]", "++", " else if (1) { @x = 1; }", " ? 1 : 2"];
        var link = links[random.Next(links.Length)];
        var body = new StringBuilder(link.StartsWith(" else", StringComparison.Ordinal) ? "BEGIN { if (1) { @x = 1; }" : "BEGIN { @x = $y");
        for (var i = 0; i < length; i++) body.Append(link);
        body.Append(link.StartsWith(" else", StringComparison.Ordinal) ? " }" : "; }");
        return body.ToString();
    }
}
