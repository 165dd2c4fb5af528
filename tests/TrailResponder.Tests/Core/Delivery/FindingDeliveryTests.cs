using TrailResponder.Core.Delivery;
using TrailResponder.Core.Findings;
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
        Severity.High);

    private static LogFileScan Scan(int findings, LogFileException? error = null) =>
        new(DeliveryFixtures.LogKey, findings, 10, 100, 1000, [], 0, error);

    private async Task<DeliveryReport> DeliverAsync(FindingDelivery delivery, LogFileException? error, params Finding[] findings)
    {
        var file = delivery.Start("s3://b/k");
        foreach (var finding in findings)
        {
            await file.AddAsync(finding, CancellationToken.None);
        }

        return await file.CompleteAsync(Scan(findings.Length, error), CancellationToken.None);
    }

    [Fact]
    public async Task Every_finding_goes_to_Security_Hub_and_one_email_covers_those_above_the_threshold()
    {
        var report = await DeliverAsync(Delivery(), null, DeliveryFixtures.RootLogin(), DeliveryFixtures.SecurityGroupChange());

        Assert.Equal(["CIS-4.3/e-root", "CIS-4.10/e-sg"], _importer.Imported.Select(f => f.Id));
        var email = Assert.Single(_publisher.Published);
        Assert.Contains("CIS-4.3", email.Body, StringComparison.Ordinal);
        Assert.Equal(new DeliveryReport(2, 1), report);
    }

    [Fact]
    public async Task Findings_go_to_Security_Hub_a_full_batch_at_a_time_while_the_file_is_still_being_read()
    {
        var file = Delivery().Start("s3://b/k");
        for (var i = 0; i < 250; i++)
        {
            await file.AddAsync(DeliveryFixtures.SecurityGroupChange($"e-{i}"), CancellationToken.None);
        }

        Assert.Equal([100, 100], _importer.Calls.Select(c => c.Count));

        var report = await file.CompleteAsync(Scan(250), CancellationToken.None);

        Assert.Equal([100, 100, 50], _importer.Calls.Select(c => c.Count));
        Assert.Equal(250, _importer.Imported.Select(f => f.Id).Distinct().Count());
        Assert.Equal(new DeliveryReport(250, 0), report);
    }

    [Fact]
    public async Task Findings_below_the_threshold_are_imported_without_an_email()
    {
        await DeliverAsync(Delivery(), null, DeliveryFixtures.SecurityGroupChange());

        Assert.Single(_importer.Imported);
        Assert.Empty(_publisher.Published);
    }

    [Fact]
    public async Task A_file_without_findings_sends_nothing()
    {
        var report = await DeliverAsync(Delivery(), null);

        Assert.Empty(_importer.Calls);
        Assert.Empty(_publisher.Published);
        Assert.Equal(new DeliveryReport(0, 0), report);
    }

    [Fact]
    public async Task A_damaged_file_is_reported_by_email_after_its_findings()
    {
        var error = new LogFileException(DeliveryFixtures.LogKey, LogFileFault.InvalidJson, "invalid JSON", "at line 1, byte 5");

        await DeliverAsync(Delivery(), error, DeliveryFixtures.RootLogin());

        Assert.Single(_importer.Imported);
        Assert.Equal(2, _publisher.Published.Count);
        Assert.Contains("could not be read", _publisher.Published[1].Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_Security_Hub_off_only_the_email_is_sent()
    {
        await DeliverAsync(Delivery(securityHub: false), null, DeliveryFixtures.RootLogin());

        Assert.Empty(_importer.Calls);
        Assert.Single(_publisher.Published);
    }

    [Fact]
    public async Task A_failed_import_fails_the_whole_call()
    {
        _importer.Failure = new InvalidOperationException("Security Hub refused");

        await Assert.ThrowsAsync<InvalidOperationException>(() => DeliverAsync(Delivery(), null, DeliveryFixtures.RootLogin()));
        Assert.Empty(_publisher.Published);
    }

    [Fact]
    public async Task A_failed_import_of_a_full_batch_stops_the_scan_that_is_feeding_it()
    {
        _importer.Failure = new InvalidOperationException("Security Hub refused");
        var file = Delivery().Start("s3://b/k");
        for (var i = 0; i < 99; i++)
        {
            await file.AddAsync(DeliveryFixtures.SecurityGroupChange($"e-{i}"), CancellationToken.None);
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => file.AddAsync(DeliveryFixtures.SecurityGroupChange("e-99"), CancellationToken.None).AsTask());
    }
}
