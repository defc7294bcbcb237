namespace Skillscope.Storage;

/// <summary>
/// Writes many rows into one table inside a transaction. The statement tail (conflict clause and
/// <c>RETURNING column</c>) decides what an existing key does and tells the caller which rows were written;
/// rows the caller knows are new take no tail and report nothing (<see cref="SqlDialect.NewRowInserter"/>).
/// Each dialect picks its fastest way (<see cref="SqlDialect.RowInserter"/>).
/// </summary>
internal interface IRowInserter : IAsyncDisposable
{
    /// <summary>The RETURNING values of every row written so far.</summary>
    List<string> Written { get; }

    Task AddAsync(object?[] row, CancellationToken cancellation);

    /// <summary>Writes the rows still pending; call once, after the last row.</summary>
    Task FlushAsync(CancellationToken cancellation);
}
