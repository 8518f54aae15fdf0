using System.Text;
using Sharptrace.Tracing.Perf;

namespace Sharptrace.Tests.Perf;

/// <summary>The call-graph tree layout, byte for byte against what Debian perf 6.1 printed for the same chains.</summary>
public class CallGraphTreeTests
{
    private static readonly string[] Top = ["__libc_start_call_main", "main", "run", "work_loop"];

    [Fact]
    public void Caller_tree_branches_like_perf_report_stdio()
    {
        var tree = new CallGraphTree(10000);
        tree.Add([.. Top, "hot_a"], 7322);
        tree.Add([.. Top, "hot_a", "asm_sysvec_apic_timer_interrupt", "irqentry_exit_to_user_mode"], 65);
        tree.Add([.. Top, "hot_b"], 2613);
        var text = new StringBuilder();
        tree.AppendTo(text);
        // perf report --stdio --no-children --sort comm -g caller, on a recording of tests/Native/hot.c
        // (the raw string ends before the blank line that closes the entry)
        var perf = """
                        |
                        ---__libc_start_call_main
                           main
                           run
                           work_loop
                           |          
                           |--73.87%--hot_a
                           |          |          
                           |           --0.65%--asm_sysvec_apic_timer_interrupt
                           |                     irqentry_exit_to_user_mode
                           |          
                            --26.13%--hot_b

            """;
        Assert.Equal((perf + "\n").ReplaceLineEndings("\n"), text.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Callee_tree_starts_with_a_branch_when_the_entry_has_several_leaves()
    {
        var tree = new CallGraphTree(10000);
        tree.Add(["hot_a", "work_loop", "run", "main"], 7323);
        tree.Add(["hot_b", "work_loop", "run", "main"], 2548);
        tree.Add(["irqentry_exit_to_user_mode", "asm_sysvec_apic_timer_interrupt"], 65);
        tree.Add(["irqentry_exit_to_user_mode"], 32);
        tree.Add(["rare"], 10); // under perf's 0.5% threshold: left out
        var text = new StringBuilder();
        tree.AppendTo(text);
        var perf = """
                        |          
                        |--73.23%--hot_a
                        |          work_loop
                        |          run
                        |          main
                        |          
                        |--25.48%--hot_b
                        |          work_loop
                        |          run
                        |          main
                        |          
                         --0.97%--irqentry_exit_to_user_mode
                                   |          
                                    --0.65%--asm_sysvec_apic_timer_interrupt

            """;
        Assert.Equal((perf + "\n").ReplaceLineEndings("\n"), text.ToString().ReplaceLineEndings("\n"));
    }
}
