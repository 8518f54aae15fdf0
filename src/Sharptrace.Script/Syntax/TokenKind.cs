namespace Sharptrace.Script.Syntax;

/// <summary>What a token is; operators are named by their C spelling in comments.</summary>
internal enum TokenKind
{
    End,
    Identifier,       // pid, printf, uint32, struct names
    Variable,         // $name
    Positional,       // $1 .. $N
    PositionalCount,  // $#
    Map,              // @name or @
    Integer,
    String,
    AttachPoint,      // kprobe:do_sys_open, BEGIN (only read where a probe starts)
    LeftBrace, RightBrace, LeftParen, RightParen, LeftBracket, RightBracket,
    Comma, Semicolon, Colon, Question, Dot, Arrow,
    Assign, PlusAssign, MinusAssign, StarAssign, SlashAssign, PercentAssign,
    AndAssign, OrAssign, XorAssign, ShlAssign, ShrAssign,
    Plus, Minus, Star, Slash, Percent, Ampersand, Pipe, Caret, Tilde, Bang,
    Shl, Shr, Less, LessEqual, Greater, GreaterEqual, EqualEqual, NotEqual,
    AndAnd, OrOr, PlusPlus, MinusMinus,
    If, Else, Unroll, While, Break, Continue, Return, Struct, Union, Enum, Sizeof, Offsetof,
}
