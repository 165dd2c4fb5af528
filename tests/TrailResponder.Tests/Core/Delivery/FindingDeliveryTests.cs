using TrailResponder.Core.Delivery;
using TrailResponder.Core.Logs;
using TrailResponder.Core.Rules;
using TrailResponder.Core.Scanning;

namespace TrailResponder.Tests.Core.Delivery;

public class FindingDeliveryTests
{
    private readonly RecordingImporter _importer = new();
    private readonly RecordingPublisher _publisher = new();

    private FindingDelivery Delivery(bool securityHub = true, bool email = true) => new(
        securityHub ? _importer : null,
        email ? _publisher : null,
        new AsffFindingBuilder(new AsffContext("us-east-1", "111122223333")),
        Severity.High,
        "aws");

    private static LogFileScan Scan(LogFileException? error = null, params TrailResponder.Core.Findings.Finding[] findings) =>
        new(DeliveryFixtures.LogKey, findings, 10, 100, 1000, [], error, []);

    [Fact]
    public async Task Every_finding_goes_to_Security_Hub_and_one_email_covers_those_above_the_threshold()
    {
        var report = await Delivery().DeliverAsync(Scan(null, DeliveryFixtures.RootLogin(), DeliveryFixtures.SecurityGroupChange()), "s3://b/k", CancellationToken.None);

        Assert.Equal(["CIS-4.3/e-root", "CIS-4.10/e-sg"], _importer.Imported.Select(f => f.Id));
        var email = Assert.Single(_publisher.Published);
        Assert.Contains("CIS-4.3", email.Body, StringComparison.Ordinal);
        Assert.Equal(new DeliveryReport(2, 1), report);
    }

    [Fact]
    public async Task Findings_below_the_threshold_are_imported_without_an_email()
    {
        await Delivery().DeliverAsync(Scan(null, DeliveryFixtures.SecurityGroupChange()), "s3://b/k", CancellationToken.None);

        Assert.Single(_importer.Imported);
        Assert.Empty(_publisher.Published);
    }

    [Fact]
    public async Task A_file_without_findings_sends_nothing()
    {
        var report = await Delivery().DeliverAsync(Scan(), "s3://b/k", CancellationToken.None);

        Assert.Empty(_importer.Calls);
        Assert.Empty(_publisher.Published);
        Assert.Equal(new DeliveryReport(0, 0), report);
    }

    [Fact]
    public async Task A_damaged_file_is_reported_by_email_after_its_findings()
    {
        var error = new LogFileException(DeliveryFixtures.LogKey, LogFileFault.InvalidJson, "invalid JSON", "at line 1, byte 5");

        await Delivery().DeliverAsync(Scan(error, DeliveryFixtures.RootLogin()), "s3://b/k", CancellationToken.None);

        Assert.Single(_importer.Imported);
        Assert.Equal(2, _publisher.Published.Count);
        Assert.Contains("could not be read", _publisher.Published[1].Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_Security_Hub_off_only_the_email_is_sent()
    {
        await Delivery(securityHub: false).DeliverAsync(Scan(null, DeliveryFixtures.RootLogin()), "s3://b/k", CancellationToken.None);

        Assert.Empty(_importer.Calls);
        Assert.Single(_publisher.Published);
    }

    [Fact]
    public async Task A_failed_delivery_fails_the_whole_call()
    {
        _importer.Failure = new InvalidOperationException("Security Hub refused");

        await Assert.ThrowsAsync<InvalidOperationException>(() => Delivery().DeliverAsync(Scan(null, DeliveryFixtures.RootLogin()), "s3://b/k", CancellationToken.None));
    }
}
