namespace TrailResponder.Core.Delivery;

/// <summary>One finding in the AWS Security Finding Format, as the exact JSON object to import.</summary>
/// <param name="Id">The finding's <c>Id</c>: deterministic, so importing it again updates instead of duplicating.</param>
/// <param name="Json">The UTF-8 JSON object, complete and valid ASFF.</param>
public sealed record AsffFinding(string Id, ReadOnlyMemory<byte> Json);

/// <summary>Imports findings into Security Hub (BatchImportFindings in production).</summary>
public interface IFindingImporter
{
    /// <summary>
    /// Imports every finding: in batches of at most 100, pacing itself to the service's rate, retrying the findings a
    /// batch reports as failed. Throws, naming the finding ids and the reasons, when any finding could not be imported.
    /// </summary>
    Task ImportAsync(IReadOnlyList<AsffFinding> findings, CancellationToken cancellationToken);
}
