namespace TrailResponder.LocalAws.Models;

/// <summary>Where the committed, trimmed snapshot of botocore's models lives in the repository and what refreshes it.</summary>
internal static class ServiceModelSnapshot
{
    /// <summary>The snapshot's folder, relative to the repository root.</summary>
    public const string Folder = "tests/TrailResponder.LocalAws/ServiceModels";

    /// <summary>The script that writes the snapshot; its OPERATIONS list names every operation the snapshot holds.</summary>
    public const string Script = Folder + "/trim_botocore_models.py";
}
