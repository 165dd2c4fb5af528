using TrailResponder.Core.Trail;

namespace TrailResponder.Tests.Core.Trail;

public class TrailObjectKeyTests
{
    [Fact]
    public void Log_file_key_yields_account_region_and_minute_timestamp()
    {
        var key = TrailObjectKey.Classify("AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/17/111122223333_CloudTrail_us-east-2_20150817T1445Z_9nYN7gp2eWAJHIfT.json.gz");

        Assert.Equal(TrailObjectKind.LogFile, key.Kind);
        Assert.Equal("111122223333", key.AccountId);
        Assert.Equal("us-east-2", key.Region);
        Assert.Null(key.Prefix);
        Assert.Null(key.OrganizationId);
        Assert.Equal(new DateTimeOffset(2015, 8, 17, 14, 45, 0, TimeSpan.Zero), key.Timestamp);
    }

    [Fact]
    public void Prefix_and_organization_id_are_recognised()
    {
        var key = TrailObjectKey.Classify("my/prefix/AWSLogs/o-abc123def4/111122223333/CloudTrail/eu-west-1/2024/05/06/111122223333_CloudTrail_eu-west-1_20240506T0905Z_AbCdEf0123456789.json.gz");

        Assert.Equal(TrailObjectKind.LogFile, key.Kind);
        Assert.Equal("my/prefix", key.Prefix);
        Assert.Equal("o-abc123def4", key.OrganizationId);
    }

    [Fact]
    public void Unique_part_glued_to_the_timestamp_is_accepted()
    {
        var key = TrailObjectKey.Classify("AWSLogs/111122223333/CloudTrail/us-east-1/2014/06/20/111122223333_CloudTrail_us-east-1_20140620T1255ZHdkvFTXOA3Vnhbc.json.gz");

        Assert.Equal(TrailObjectKind.LogFile, key.Kind);
    }

    [Fact]
    public void Digest_key_yields_trail_home_region_and_second_timestamp()
    {
        var key = TrailObjectKey.Classify("AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/111122223333_CloudTrail-Digest_us-east-2_my_trail_us-west-2_20150817T150131Z.json.gz");

        Assert.Equal(TrailObjectKind.DigestFile, key.Kind);
        Assert.Equal("my_trail", key.TrailName);
        Assert.Equal("us-west-2", key.HomeRegion);
        Assert.Equal("us-east-2", key.Region);
        Assert.False(key.IsBackfill);
        Assert.Equal(new DateTimeOffset(2015, 8, 17, 15, 1, 31, TimeSpan.Zero), key.Timestamp);
    }

    [Fact]
    public void Backfill_digest_is_flagged()
    {
        var key = TrailObjectKey.Classify("AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/01/02/111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20240102T030405Z_backfill.json.gz");

        Assert.Equal(TrailObjectKind.DigestFile, key.Kind);
        Assert.True(key.IsBackfill);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), key.Timestamp);
    }

    [Fact]
    public void Insight_folder_makes_an_insight_file()
    {
        var key = TrailObjectKey.Classify("AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2024/01/02/111122223333_CloudTrail-Insight_us-east-1_20240102T0300Z_abc.json.gz");

        Assert.Equal(TrailObjectKind.InsightFile, key.Kind);
    }

    [Theory]
    [InlineData("AWSLogs/111122223333/Config/us-east-1/2024/1/2/ConfigHistory/x.json.gz")]
    [InlineData("AWSLogs/111122223333/Config/ConfigWritabilityCheckFile")]
    [InlineData("AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/02/")]
    [InlineData("AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/02/111122223333_CloudTrail_us-west-2_20240102T0300Z_abc.json.gz")]
    [InlineData("AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/02/999999999999_CloudTrail_us-east-1_20240102T0300Z_abc.json.gz")]
    [InlineData("AWSLogs/111122223333/vpcflowlogs/us-east-1/2024/01/02/x.log.gz")]
    [InlineData("notes.txt")]
    public void Other_objects_and_inconsistent_names_are_other(string key)
    {
        Assert.Equal(TrailObjectKind.Other, TrailObjectKey.Classify(key).Kind);
    }

    [Fact]
    public void A_loose_log_file_outside_the_tree_is_known_by_its_name()
    {
        var key = TrailObjectKey.Classify("/tmp/incident/111122223333_CloudTrail_us-east-1_20240102T0300Z_abcdef.json.gz");

        Assert.Equal(TrailObjectKind.LogFile, key.Kind);
        Assert.Equal("us-east-1", key.Region);
    }

    [Fact]
    public void Windows_separators_are_read_as_slashes()
    {
        var key = TrailObjectKey.Classify(@"C:\trail\AWSLogs\111122223333\CloudTrail\us-east-1\2024\01\02\111122223333_CloudTrail_us-east-1_20240102T0300Z_abc.json.gz");

        Assert.Equal(TrailObjectKind.LogFile, key.Kind);
    }
}
