namespace Sharptrace.Bpf.Btf;

/// <summary>
/// A fixed-size record that trails a BTF type (a member, an enumerator, a parameter, a variable
/// in a section). Lets <see cref="BtfRecordList{T}"/> read any of them without boxing or delegates.
/// </summary>
/// <typeparam name="TSelf">The record type.</typeparam>
public interface IBtfRecord<TSelf> where TSelf : struct, IBtfRecord<TSelf>
{
    /// <summary>Byte size of one record trailing a type of <paramref name="kind"/>.</summary>
    static abstract int RecordSize(BtfKind kind);

    /// <summary>Reads the record at <paramref name="recordOffset"/> in the raw blob of <paramref name="owner"/>.</summary>
    static abstract TSelf Read(BtfType owner, int recordOffset);
}
