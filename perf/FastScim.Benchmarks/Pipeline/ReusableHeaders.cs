using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace FastScim.Benchmarks.Pipeline;

/// <summary>
/// Headers for <see cref="InMemoryExchange"/>: a dictionary cleared (not freed) between
/// requests, with Content-Length kept as a number as Kestrel keeps it. (ASP.NET Core's
/// <c>HeaderDictionary</c> formats Content-Length into a new string on every set: an allocation
/// Kestrel does not make, which would be charged to the server.)
/// </summary>
internal sealed class ReusableHeaders : IHeaderDictionary
{
    private readonly Dictionary<string, StringValues> _headers = new(StringComparer.OrdinalIgnoreCase);

    public long? ContentLength { get; set; }

    public StringValues this[string key]
    {
        get => _headers.TryGetValue(key, out var value) ? value : StringValues.Empty;
        set
        {
            if (StringValues.IsNullOrEmpty(value))
            {
                _headers.Remove(key);
            }
            else
            {
                _headers[key] = value;
            }
        }
    }

    StringValues IDictionary<string, StringValues>.this[string key]
    {
        get => _headers[key];
        set => this[key] = value;
    }

    public ICollection<string> Keys => _headers.Keys;

    public ICollection<StringValues> Values => _headers.Values;

    public int Count => _headers.Count;

    public bool IsReadOnly => false;

    public void Add(string key, StringValues value) => _headers.Add(key, value);

    public void Add(KeyValuePair<string, StringValues> item) => _headers.Add(item.Key, item.Value);

    public void Clear()
    {
        _headers.Clear();
        ContentLength = null;
    }

    public bool Contains(KeyValuePair<string, StringValues> item) => ((ICollection<KeyValuePair<string, StringValues>>)_headers).Contains(item);

    public bool ContainsKey(string key) => _headers.ContainsKey(key);

    public void CopyTo(KeyValuePair<string, StringValues>[] array, int arrayIndex) => ((ICollection<KeyValuePair<string, StringValues>>)_headers).CopyTo(array, arrayIndex);

    public IEnumerator<KeyValuePair<string, StringValues>> GetEnumerator() => _headers.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Remove(string key) => _headers.Remove(key);

    public bool Remove(KeyValuePair<string, StringValues> item) => ((ICollection<KeyValuePair<string, StringValues>>)_headers).Remove(item);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out StringValues value) => _headers.TryGetValue(key, out value);
}
