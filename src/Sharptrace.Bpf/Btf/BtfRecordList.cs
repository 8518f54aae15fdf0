namespace Sharptrace.Bpf.Btf;

/// <summary>
/// The records trailing a BTF type, read on demand: indexable and enumerable without allocating.
/// </summary>
/// <typeparam name="T">The record type (member, enumerator, parameter, section variable).</typeparam>
public readonly struct BtfRecordList<T> : IReadOnlyList<T> where T : struct, IBtfRecord<T>
{
    private readonly BtfType owner;

    internal BtfRecordList(BtfType owner, int count)
    {
        this.owner = owner;
        Count = count;
    }

    /// <summary>Number of records.</summary>
    public int Count { get; }

    /// <summary>The record at <paramref name="index"/>.</summary>
    public T this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(index), index, $"{Count} records");
            return T.Read(owner, owner.TrailingOffset + index * T.RecordSize(owner.Kind));
        }
    }

    /// <summary>A struct enumerator, so <c>foreach</c> does not allocate.</summary>
    public Enumerator GetEnumerator() => new(this);

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Enumerates the records in order.</summary>
    public struct Enumerator : IEnumerator<T>
    {
        private readonly BtfRecordList<T> list;
        private int index;

        internal Enumerator(BtfRecordList<T> list)
        {
            this.list = list;
            index = -1;
        }

        /// <inheritdoc />
        public readonly T Current => list[index];

        readonly object System.Collections.IEnumerator.Current => Current;

        /// <inheritdoc />
        public bool MoveNext() => ++index < list.Count;

        /// <inheritdoc />
        public void Reset() => index = -1;

        /// <inheritdoc />
        public readonly void Dispose()
        {
        }
    }
}
