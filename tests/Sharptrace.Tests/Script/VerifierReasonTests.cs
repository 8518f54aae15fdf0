using Sharptrace.Script.Runtime;

namespace Sharptrace.Tests.Script;

/// <summary>The reason shown for a rejected program is the verifier's last line in words, past instructions, states and statistics.</summary>
public class VerifierReasonTests
{
    [Theory]
    [InlineData("0: R1=ctx() R10=fp0\n0: (b7) r0 = 0\n1: (95) exit\nunreachable insn 2\nprocessed 2 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n", "unreachable insn 2")]
    [InlineData("from 4 to 6: R0=0\n6: (85) call bpf_probe_read#4\ninfinite loop detected at insn 6\ncur state: R1=1\nold state: R1=1\nverification time 12 usec\nstack depth 8\n", "infinite loop detected at insn 6")]
    [InlineData("; if (x) @ stdin:1\nframe1: R1=ctx()\nmark_precise: frame0: last_idx 5 first_idx 0\nregs=r1 stack= before 4\nparent didn't have regs=2\ninvalid mem access 'scalar'\nlast_idx 5\n", "invalid mem access 'scalar'")]
    [InlineData("invalid indirect read from stack R2 off -8+0 size 8\nfrom 12 to 1: safe\nR2 type=scalar expected=fp\n", "invalid indirect read from stack R2 off -8+0 size 8")]
    public void TheReasonIsTheLastLineInWords(string log, string reason) => Assert.Equal(reason, ScriptRunner.VerifierReason(log));
}
