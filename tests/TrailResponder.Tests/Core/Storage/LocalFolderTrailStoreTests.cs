using TrailResponder.Cli.Storage;
using TrailResponder.Core.Storage;

namespace TrailResponder.Tests.Core.Storage;

public sealed class LocalFolderTrailStoreTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("trailresponder-store-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task Listing_gives_sorted_forward_slash_keys_under_the_prefix_and_hides_sidecars()
    {
        Write("AWSLogs/b.json.gz", "b");
        Write("AWSLogs/a/x.json.gz", "xx");
        Write("AWSLogs/a/x.json.gz.metadata.json", "{}");
        Write("other/y", "y");
        var store = new LocalFolderTrailStore(root);

        var listed = await ToList(store.ListAsync("AWSLogs/"));

        Assert.Equal(["AWSLogs/a/x.json.gz", "AWSLogs/b.json.gz"], listed.Select(o => o.Key));
        Assert.Equal(2, listed[0].Size);
    }

    [Fact]
    public async Task Metadata_comes_from_the_sidecar_without_the_amz_meta_prefix()
    {
        Write("d.json.gz", "d");
        Write("d.json.gz.metadata.json", "{\"x-amz-meta-signature\":\"abc\",\"signature-algorithm\":\"SHA256withRSA\"}");
        Write("e.json.gz", "e");
        var store = new LocalFolderTrailStore(root);

        var metadata = await store.GetMetadataAsync("d.json.gz");

        Assert.Equal("abc", metadata["signature"]);
        Assert.Equal("abc", metadata["Signature"]);
        Assert.Equal("SHA256withRSA", metadata["signature-algorithm"]);
        Assert.Empty(await store.GetMetadataAsync("e.json.gz"));
    }

    [Fact]
    public async Task Absent_object_is_not_found_for_reading_and_for_metadata()
    {
        var store = new LocalFolderTrailStore(root);

        await Assert.ThrowsAsync<TrailObjectNotFoundException>(() => store.OpenReadAsync("AWSLogs/none.json.gz"));
        await Assert.ThrowsAsync<TrailObjectNotFoundException>(() => store.GetMetadataAsync("AWSLogs/none.json.gz"));
    }

    [Fact]
    public async Task Key_that_climbs_out_of_the_folder_is_never_read()
    {
        var store = new LocalFolderTrailStore(Path.Combine(root, "inner"));
        Write("secret", "s");

        await Assert.ThrowsAsync<TrailObjectNotFoundException>(() => store.OpenReadAsync("../secret"));
    }

    [Fact]
    public async Task Sidecar_with_a_non_string_value_is_an_error_naming_the_file_and_field()
    {
        Write("d.json.gz", "d");
        Write("d.json.gz.metadata.json", "{\"signature\":5}");
        var store = new LocalFolderTrailStore(root);

        var error = await Assert.ThrowsAsync<TrailObjectStoreException>(() => store.GetMetadataAsync("d.json.gz"));

        Assert.Contains("d.json.gz.metadata.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("'signature'", error.Message, StringComparison.Ordinal);
        Assert.Equal("d.json.gz", error.UnreadableKey);
    }

    [Theory]
    [InlineData("signature=abc", "is not valid JSON")]
    [InlineData("[\"abc\"]", "must hold a JSON object of strings")]
    public async Task Malformed_sidecar_is_a_fault_of_that_object_alone(string sidecar, string problem)
    {
        Write("d.json.gz", "d");
        Write("d.json.gz.metadata.json", sidecar);
        Write("e.json.gz", "e");
        Write("e.json.gz.metadata.json", "{\"signature\":\"abc\"}");
        var store = new LocalFolderTrailStore(root);

        var error = await Assert.ThrowsAsync<TrailObjectStoreException>(() => store.GetMetadataAsync("d.json.gz"));

        Assert.Equal("d.json.gz", error.UnreadableKey);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Equal("abc", (await store.GetMetadataAsync("e.json.gz"))["signature"]);
    }

    [Fact]
    public async Task Sidecar_larger_than_any_S3_metadata_is_refused_without_being_read_whole()
    {
        Write("d.json.gz", "d");
        Write("d.json.gz.metadata.json", "{\"signature\":\"" + new string('a', LocalFolderTrailStore.MaxMetadataBytes) + "\"}");
        var store = new LocalFolderTrailStore(root);

        var error = await Assert.ThrowsAsync<TrailObjectStoreException>(() => store.GetMetadataAsync("d.json.gz"));

        Assert.Equal("d.json.gz", error.UnreadableKey);
        Assert.EndsWith($"d.json.gz.metadata.json' is larger than {LocalFolderTrailStore.MaxMetadataBytes} bytes.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Folder_where_a_file_should_be_is_a_fault_of_that_object_alone_for_reading_and_for_metadata()
    {
        Directory.CreateDirectory(Path.Combine(root, "AWSLogs", "x.json.gz"));
        var store = new LocalFolderTrailStore(root);

        var read = await Assert.ThrowsAsync<TrailObjectStoreException>(() => store.OpenReadAsync("AWSLogs/x.json.gz"));
        var metadata = await Assert.ThrowsAsync<TrailObjectStoreException>(() => store.GetMetadataAsync("AWSLogs/x.json.gz"));

        Assert.Equal("AWSLogs/x.json.gz", read.UnreadableKey);
        Assert.EndsWith("x.json.gz' is a folder, not a file.", read.Message, StringComparison.Ordinal);
        Assert.Equal("AWSLogs/x.json.gz", metadata.UnreadableKey);
    }

    [Fact]
    public async Task File_that_cannot_be_opened_is_a_fault_of_that_object_alone()
    {
        // A Unix socket is listed like a file but cannot be opened (ENXIO): a stand-in for an unreadable file that works
        // even for root, whom file permissions do not stop.
        Write("AWSLogs/a.json.gz", "a");
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(Path.Combine(root, "AWSLogs", "b.json.gz")));
        var store = new LocalFolderTrailStore(root);

        var error = await Assert.ThrowsAsync<TrailObjectStoreException>(() => store.OpenReadAsync("AWSLogs/b.json.gz"));

        Assert.Equal("AWSLogs/b.json.gz", error.UnreadableKey);
        Assert.Contains("b.json.gz' could not be read", error.Message, StringComparison.Ordinal);
        await using var readable = await store.OpenReadAsync("AWSLogs/a.json.gz");
        Assert.Equal((byte)'a', readable.ReadByte());
    }

    [Fact]
    public async Task Folder_that_does_not_exist_cannot_be_listed()
    {
        var store = new LocalFolderTrailStore(Path.Combine(root, "missing"));

        var error = await Assert.ThrowsAsync<TrailObjectStoreException>(() => ToList(store.ListAsync("")));

        Assert.Null(error.UnreadableKey);
    }

    private void Write(string key, string content)
    {
        var path = Path.Combine(root, key.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private static async Task<List<StoredObject>> ToList(IAsyncEnumerable<StoredObject> objects)
    {
        var list = new List<StoredObject>();
        await foreach (var stored in objects)
        {
            list.Add(stored);
        }

        return list;
    }
}
