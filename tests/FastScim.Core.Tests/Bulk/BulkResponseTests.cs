using FastScim.Core.Bulk;

namespace FastScim.Core.Tests.Bulk;

/// <summary>Reading a BulkResponse (RFC 7644 §3.7.3), as <c>fastscim import</c> does.</summary>
public class BulkResponseTests
{
    [Fact]
    public void The_rfc_bulk_response_example_is_read()
    {
        // RFC 7644 §3.7.3 (its missing comma after "invalidSyntax" restored).
        var operations = BulkResponse.Parse("""
            {"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkResponse"],
             "Operations": [
               {"location": "https://example.com/v2/Users/92b725cd9465", "method": "POST", "bulkId": "qwerty", "version": "W\/\"oY4m4wn58tkVjJxK\"", "status": "201"},
               {"method": "POST", "bulkId": "qwerty", "status": "400",
                "response": {"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "scimType": "invalidSyntax",
                             "detail": "Request is unparsable, syntactically incorrect, or violates schema.", "status": "400"}}]}
            """u8);

        Assert.Equal(2, operations.Count);
        Assert.True(operations[0].Succeeded);
        Assert.Equal("92b725cd9465", operations[0].CreatedId);
        Assert.Equal((400, "invalidSyntax"), (operations[1].Status, operations[1].ScimType));
        Assert.StartsWith("Request is unparsable", operations[1].Detail, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => BulkResponse.Parse("""{"Operations":{}}"""u8));
    }
}
