using System.Buffers;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using FastScim.Core.Resources;

namespace FastScim.Benchmarks.Json;

/// <summary>The generated reader and writer on the RFC 7643 §8.2 full user.</summary>
[MemoryDiagnoser]
public class UserJsonBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private byte[] _json = [];
    private User _user = null!;
    private Utf8JsonWriter _writer = null!;

    [GlobalSetup]
    public void Setup()
    {
        _json = Encoding.UTF8.GetBytes("""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
             "externalId":"701984","userName":"bjensen@example.com",
             "name":{"formatted":"Ms. Barbara J Jensen, III","familyName":"Jensen","givenName":"Barbara","middleName":"Jane","honorificPrefix":"Ms.","honorificSuffix":"III"},
             "displayName":"Babs Jensen","nickName":"Babs","profileUrl":"https://login.example.com/bjensen",
             "emails":[{"value":"bjensen@example.com","type":"work","primary":true},{"value":"babs@jensen.org","type":"home"}],
             "addresses":[{"type":"work","streetAddress":"100 Universal City Plaza","locality":"Hollywood","region":"CA","postalCode":"91608","country":"USA","formatted":"100 Universal City Plaza\nHollywood, CA 91608 USA","primary":true}],
             "phoneNumbers":[{"value":"555-555-5555","type":"work"},{"value":"555-555-4444","type":"mobile"}],
             "userType":"Employee","title":"Tour Guide","preferredLanguage":"en-US","locale":"en-US","timezone":"America/Los_Angeles","active":true,
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"701984","costCenter":"4130","organization":"Universal Studios","division":"Theme Park","department":"Tour Operations","manager":{"value":"26118915-6090-4610-87e4-49d8ca9f808d","displayName":"John Smith"}}}
            """);
        _user = UserJson.Read(_json);
        _writer = new Utf8JsonWriter(_buffer);
    }

    [Benchmark]
    public User Read() => UserJson.Read(_json);

    [Benchmark]
    public int Write()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        UserJson.Write(_writer, _user);
        _writer.Flush();
        return _buffer.WrittenCount;
    }
}
