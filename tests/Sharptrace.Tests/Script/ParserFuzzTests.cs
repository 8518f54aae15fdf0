using Sharptrace.Script;
using Sharptrace.Script.Syntax;

namespace Sharptrace.Tests.Script;

/// <summary>
/// Random and mutated scripts (seeded, time-bounded) must only ever give a clean diagnostic or a
/// program: no exception escapes the front end, and no input hangs it.
/// </summary>
public class ParserFuzzTests
{
    private static readonly string[] Seeds =
    [
        "BEGIN { printf(\"hello %d\\n\", 42); exit(); }",
        "tracepoint:syscalls:sys_enter_openat /pid == 1/ { @[comm] = count(); @f[str(args->filename)] = hist(arg0); }",
        "kprobe:do_nanosleep, kretprobe:vfs_* { $x = (uint32)arg0 << 2 | 1; if ($x > 3 && !($x % 2)) { @m[$x, \"a\"] += 1; } else { delete(@m[1, \"b\"]); } }",
        "struct S { int a; char b[4]; } uprobe:/bin/bash:readline { unroll(3) { @x++; } while ($i < 10) { $i++; continue; } print(@x, 3, 2); }",
        "interval:s:1 { @t = (1, \"x\", comm); printf(\"%-10s %5d %x\\n\", comm, pid, @t.0); @s = stats(nsecs); @l = lhist(rand % 100, 0, 100, 10); clear(@s); }",
    ];

    private static readonly string[] Fragments =
    [
        "{", "}", "(", ")", "[", "]", "/", "*", ",", ";", ":", "?", "\"", "'", "$", "@", "#", "->", ".", "=", "+=", "++", "<<=",
        "BEGIN", "END", "if", "else", "while", "unroll", "struct", "sizeof", "0x", "1e", "\\", "/*", "//", "\n", "kprobe:", "$1", "$#",
        "printf(\"%d\", ", "str(", "@x[", "args->", "(uint8 *)", "-", "!", "~", "&&", "||",
    ];

    [Fact]
    public void RandomAndMutatedScriptsGiveCleanErrors()
    {
        // A fixed seed and a fixed count: every run (and CI) tries the same inputs, so a failure reproduces.
        var random = new Random(20240601);
        var count = 0;
        for (var i = 0; i < 20000; i++)
        {
            var text = random.Next(4) switch
            {
                0 => RandomText(random),
                1 => Mutate(random, Seeds[random.Next(Seeds.Length)]),
                2 => Splice(random),
                _ => Mutate(random, Mutate(random, Seeds[random.Next(Seeds.Length)])),
            };
            Exercise(text);
            count++;
        }
        Assert.True(count > 1000, $"only {count} scripts in the time budget");
    }

    private static void Exercise(string text)
    {
        try
        {
            var source = new SourceText("fuzz", text);
            var (program, error) = ScriptCompiler.Parse(source);
            Assert.True(program is not null || error is not null);
            if (program is null) return;
            var (script, _) = ScriptCompiler.Compile(source, ["1", "x"], TypeCheckerTests.FakeResolve);
            // Code generation too: its only way to fail is a diagnostic (e.g. the BPF stack limit).
            if (script is not null)
            {
                try { Sharptrace.Script.Runtime.ScriptRunner.Dump(script); }
                catch (Sharptrace.Script.Diagnostics.ScriptException) { }
            }
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            Assert.Fail($"{e.GetType().Name}: {e.Message} for input:\n{text}\n{e.StackTrace}");
        }
    }

    private static string RandomText(Random random)
    {
        var builder = new System.Text.StringBuilder();
        var length = random.Next(1, 80);
        for (var i = 0; i < length; i++)
            builder.Append(random.Next(3) == 0 ? (char)random.Next(1, 128) : Fragments[random.Next(Fragments.Length)]);
        return builder.ToString();
    }

    private static string Mutate(Random random, string text)
    {
        var chars = new System.Text.StringBuilder(text);
        var edits = random.Next(1, 5);
        for (var i = 0; i < edits && chars.Length > 0; i++)
        {
            var at = random.Next(chars.Length);
            switch (random.Next(4))
            {
                case 0: chars.Remove(at, Math.Min(random.Next(1, 6), chars.Length - at)); break;
                case 1: chars.Insert(at, Fragments[random.Next(Fragments.Length)]); break;
                case 2: chars[at] = (char)random.Next(32, 127); break;
                default: chars.Insert(at, chars.ToString(random.Next(chars.Length), 1)); break;
            }
        }
        return chars.ToString();
    }

    private static string Splice(Random random)
    {
        var a = Seeds[random.Next(Seeds.Length)];
        var b = Seeds[random.Next(Seeds.Length)];
        return a[..random.Next(a.Length)] + b[random.Next(b.Length)..];
    }
}
