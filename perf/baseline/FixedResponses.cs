namespace FastScim.Baseline;

/// <summary>The baseline's two answers, encoded once.</summary>
internal static class FixedResponses
{
    /// <summary>
    /// 1,219 bytes: what FastScim answers for a user seeded by perf/load/run.sh (user 7777),
    /// byte for byte, with the server's address as 127.0.0.1:8080.
    /// </summary>
    public static readonly byte[] User = """
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],"id":"7956bf5b-34e6-41a1-a3d7-e76cc68a7d95","externalId":"ext-7777","userName":"user7777@example.com","name":{"formatted":"Barbara Jensen","familyName":"Jensen","givenName":"Barbara"},"displayName":"Barbara Jensen 7777","title":"Tour Guide","preferredLanguage":"en-US","locale":"en-US","timezone":"America/Los_Angeles","active":true,"emails":[{"value":"user7777@example.com","type":"work","primary":true},{"value":"barbara.jensen.7777@example.org","type":"home"}],"phoneNumbers":[{"value":"+1 555 555 7777","type":"work"}],"addresses":[{"streetAddress":"100 Universal City Plaza","locality":"Hollywood","region":"CA","postalCode":"91608","country":"US","type":"work","primary":true}],"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"7777","costCenter":"4130","organization":"Universal Studios","department":"Tour Operations"},"meta":{"resourceType":"User","created":"2026-11-29T04:46:54.098+00:00","lastModified":"2026-11-29T04:46:54.098+00:00","location":"http://127.0.0.1:8080/t/default/api/v1/scim/v2/Users/7956bf5b-34e6-41a1-a3d7-e76cc68a7d95","version":"W/\"1\""}}
        """u8.ToArray();

    /// <summary>FastScim's 401 body (RFC 7644 §3.12).</summary>
    public static readonly byte[] Unauthorized = """
        {"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"401","detail":"Authentication failed: send 'Authorization: Bearer <token>' with a token issued for this tenant."}
        """u8.ToArray();
}
