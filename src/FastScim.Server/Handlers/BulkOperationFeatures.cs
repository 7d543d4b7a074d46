using System.Collections;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace FastScim.Server.Handlers;

/// <summary>
/// The features of the single request a Bulk operation stands for (RFC 7644 §3.7: each operation
/// is processed as its own request): the request, its body, the response and its body, and the
/// Bulk request's lifetime and connection, each in a field. A <see cref="FeatureCollection"/> keeps
/// them in a dictionary, and a Bulk request makes one per operation (issue 7: the synthetic request
/// was a twentieth of a Bulk create's CPU). Any other feature goes to a dictionary made when first
/// set.
/// </summary>
internal sealed class BulkOperationFeatures : IFeatureCollection, IRequestBodyPipeFeature
{
    private readonly HttpRequestFeature _request;
    private readonly HttpResponseFeature _response = new();
    private readonly IHttpResponseBodyFeature _responseBody;
    private readonly IHttpRequestLifetimeFeature? _lifetime;
    private readonly IHttpConnectionFeature? _connection;
    private FeatureCollection? _others;
    private int _revision;

    public BulkOperationFeatures(HttpRequestFeature request, ReadOnlyMemory<byte> body, IHttpResponseBodyFeature responseBody, IHttpRequestLifetimeFeature? lifetime, IHttpConnectionFeature? connection)
    {
        _request = request;
        Reader = PipeReader.Create(new System.Buffers.ReadOnlySequence<byte>(body));
        _responseBody = responseBody;
        _lifetime = lifetime;
        _connection = connection;
    }

    /// <summary>The operation's data, as the request body (<see cref="IRequestBodyPipeFeature"/>).</summary>
    public PipeReader Reader { get; }

    public bool IsReadOnly => false;

    public int Revision => _revision + (_others?.Revision ?? 0);

    public object? this[Type key]
    {
        get => Fixed(key) ?? _others?[key];
        set
        {
            if (Fixed(key) is not null)
            {
                throw new InvalidOperationException($"The feature {key.Name} of a Bulk operation is fixed.");
            }

            (_others ??= new FeatureCollection())[key] = value;
            _revision++;
        }
    }

    public TFeature? Get<TFeature>() => (TFeature?)this[typeof(TFeature)];

    public void Set<TFeature>(TFeature? instance) => this[typeof(TFeature)] = instance;

    public IEnumerator<KeyValuePair<Type, object>> GetEnumerator()
    {
        yield return new(typeof(IHttpRequestFeature), _request);
        yield return new(typeof(IRequestBodyPipeFeature), this);
        yield return new(typeof(IHttpResponseFeature), _response);
        yield return new(typeof(IHttpResponseBodyFeature), _responseBody);
        if (_lifetime is not null)
        {
            yield return new(typeof(IHttpRequestLifetimeFeature), _lifetime);
        }

        if (_connection is not null)
        {
            yield return new(typeof(IHttpConnectionFeature), _connection);
        }

        foreach (var other in _others ?? Enumerable.Empty<KeyValuePair<Type, object>>())
        {
            yield return other;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private object? Fixed(Type key) =>
        key == typeof(IHttpRequestFeature) ? _request
        : key == typeof(IRequestBodyPipeFeature) ? this
        : key == typeof(IHttpResponseFeature) ? _response
        : key == typeof(IHttpResponseBodyFeature) ? _responseBody
        : key == typeof(IHttpRequestLifetimeFeature) ? _lifetime
        : key == typeof(IHttpConnectionFeature) ? _connection
        : null;
}
