using System.Net;
using TrailResponder.LocalAws;

namespace TrailResponder.Tests.LocalAws;

public class LocalAwsSnsTests
{
    private static (string, string)[] Publish(string topicArn, string message, params (string, string)[] extra) =>
        [("Action", "Publish"), ("Version", "2010-03-31"), ("TopicArn", topicArn), ("Message", message), .. extra];

    [Fact]
    public async Task Publish_stores_the_message_subject_and_attributes_on_the_topic()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        var topic = endpoint.Sns.CreateTopic("trail-findings");
        using var sns = new SignedAwsClient(endpoint, "sns");

        var answer = await sns.PostFormAsync(Publish(topic, "hello world",
            ("Subject", "SG revoked"),
            ("MessageAttributes.entry.1.Name", "severity"),
            ("MessageAttributes.entry.1.Value.DataType", "String"),
            ("MessageAttributes.entry.1.Value.StringValue", "HIGH"),
            ("MessageAttributes.entry.2.Name", "blob"),
            ("MessageAttributes.entry.2.Value.DataType", "Binary"),
            ("MessageAttributes.entry.2.Value.BinaryValue", "AQI=")));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var message = Assert.Single(endpoint.Sns.Messages(topic));
        Assert.Equal(answer.XmlValues("MessageId").Single(), message.MessageId);
        Assert.Equal(("hello world", "SG revoked"), (message.Message, message.Subject));
        Assert.Equal("HIGH", message.Attributes["severity"].StringValue);
        Assert.Equal(new byte[] { 1, 2 }, message.Attributes["blob"].BinaryValue);
    }

    [Fact]
    public async Task Publish_to_a_missing_topic_answers_NotFound_404()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        using var sns = new SignedAwsClient(endpoint, "sns");

        var answer = await sns.PostFormAsync(Publish("arn:aws:sns:us-east-1:000000000000:nope", "x"));

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal("NotFound", answer.ErrorCode);
    }

    [Theory]
    [InlineData("two\nlines")]
    [InlineData(" starts with a space")]
    [InlineData("caf\u00e9")]
    [InlineData("")]
    public async Task Invalid_subject_fails_the_publish_with_InvalidParameter(string subject)
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        var topic = endpoint.Sns.CreateTopic("t");
        using var sns = new SignedAwsClient(endpoint, "sns");

        var answer = await sns.PostFormAsync(Publish(topic, "x", ("Subject", subject)));

        Assert.Equal("InvalidParameter", answer.ErrorCode);
        Assert.Empty(endpoint.Sns.Messages(topic));
    }

    [Fact]
    public async Task Subject_must_be_shorter_than_100_characters()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        var topic = endpoint.Sns.CreateTopic("t");
        using var sns = new SignedAwsClient(endpoint, "sns");

        var ninetyNine = await sns.PostFormAsync(Publish(topic, "x", ("Subject", new string('s', 99))));
        var hundred = await sns.PostFormAsync(Publish(topic, "x", ("Subject", new string('s', 100))));

        Assert.Equal(HttpStatusCode.OK, ninetyNine.Status);
        Assert.Equal("InvalidParameter", hundred.ErrorCode);
    }

    [Fact]
    public async Task Message_may_be_262144_bytes_but_not_one_more()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        var topic = endpoint.Sns.CreateTopic("t");
        using var sns = new SignedAwsClient(endpoint, "sns");

        // 'é' is two UTF-8 bytes: the limit counts bytes, not characters.
        var atLimit = await sns.PostFormAsync(Publish(topic, new string('\u00e9', 131_072)));
        var overLimit = await sns.PostFormAsync(Publish(topic, new string('\u00e9', 131_072) + "x"));

        Assert.Equal(HttpStatusCode.OK, atLimit.Status);
        Assert.Equal("InvalidParameter", overLimit.ErrorCode);
        Assert.Single(endpoint.Sns.Messages(topic));
    }

    [Fact]
    public async Task Json_message_structure_needs_a_default_entry()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        var topic = endpoint.Sns.CreateTopic("t");
        using var sns = new SignedAwsClient(endpoint, "sns");

        var withDefault = await sns.PostFormAsync(Publish(topic, """{"default":"x","email":"y"}""", ("MessageStructure", "json")));
        var withoutDefault = await sns.PostFormAsync(Publish(topic, """{"email":"y"}""", ("MessageStructure", "json")));

        Assert.Equal(HttpStatusCode.OK, withDefault.Status);
        Assert.Equal("InvalidParameter", withoutDefault.ErrorCode);
    }
}
