using TrailResponder.Core.Trail;
using TrailResponder.Tests.Core.Storage;

namespace TrailResponder.Tests.Core.Trail;

public class TrailFoldersTests
{
    private static InMemoryTrailStore Store(params string[] keys)
    {
        var store = new InMemoryTrailStore();
        foreach (var key in keys)
        {
            store.Put(key, [1]);
        }

        return store;
    }

    private static async Task<List<string>> Folders(InMemoryTrailStore store, string root, string? account = null, string? region = null)
    {
        var folders = new List<string>();
        await foreach (var folder in TrailFolders.DateFoldersAsync(store, root, "CloudTrail-Digest", new DateOnly(2024, 2, 28), new DateOnly(2024, 3, 1), account, region))
        {
            folders.Add(folder);
        }

        return folders;
    }

    [Fact]
    public async Task Every_account_and_region_gets_one_folder_per_day_across_a_month_end()
    {
        var store = Store(
            "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2020/01/01/x.json.gz",
            "AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2020/01/01/x.json.gz",
            "AWSLogs/444455556666/CloudTrail-Digest/us-east-1/2020/01/01/x.json.gz",
            "AWSLogs/111122223333/CloudTrail/us-east-1/2020/01/01/x.json.gz");

        var folders = await Folders(store, "");

        Assert.Equal(
            [
                "AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2024/02/28/", "AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2024/02/29/", "AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2024/03/01/",
                "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/02/28/", "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/02/29/", "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/03/01/",
                "AWSLogs/444455556666/CloudTrail-Digest/us-east-1/2024/02/28/", "AWSLogs/444455556666/CloudTrail-Digest/us-east-1/2024/02/29/", "AWSLogs/444455556666/CloudTrail-Digest/us-east-1/2024/03/01/",
            ],
            folders);
    }

    [Fact]
    public async Task Organization_trails_and_key_prefixes_are_walked_and_other_folders_ignored()
    {
        var store = Store(
            "logs/AWSLogs/o-abc123/111122223333/CloudTrail-Digest/us-east-1/2020/01/01/x.json.gz",
            "logs/AWSLogs/111122223333/Config/us-east-1/x",
            "logs/AWSLogs/not-an-account/CloudTrail-Digest/us-east-1/x");

        var folders = await Folders(store, "logs/");

        Assert.Equal(3, folders.Count);
        Assert.All(folders, f => Assert.StartsWith("logs/AWSLogs/o-abc123/111122223333/CloudTrail-Digest/us-east-1/", f, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Account_and_region_filters_skip_the_others()
    {
        var store = Store(
            "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2020/01/01/x.json.gz",
            "AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2020/01/01/x.json.gz",
            "AWSLogs/444455556666/CloudTrail-Digest/eu-west-1/2020/01/01/x.json.gz");

        var folders = await Folders(store, "", account: "111122223333", region: "eu-west-1");

        Assert.All(folders, f => Assert.StartsWith("AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/", f, StringComparison.Ordinal));
        Assert.Equal(3, folders.Count);
    }
}
