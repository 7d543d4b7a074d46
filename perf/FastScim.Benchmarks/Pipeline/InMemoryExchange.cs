using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace FastScim.Benchmarks.Pipeline;

/// <summary>
/// One HTTP request/response pair in memory, as Kestrel hands it to an
/// <c>IHttpApplication&lt;IFeatureCollection&gt;</c>: request features with the method, target,
/// headers and body bytes; response features writing into a buffer. Built once and reused:
/// <see cref="Begin"/> resets the response and rewinds the body, allocating nothing, so that what
/// a benchmark allocates is the server's. What Kestrel itself would allocate per request (the
/// path and query strings, header values) is not counted: these strings are made once here.
/// </summary>
internal sealed class InMemoryExchange
{
    private readonly HttpRequestFeature _request = new();
    private readonly HttpResponseFeature _response = new();
    private readonly IHeaderDictionary _requestHeaders = new ReusableHeaders();
    private readonly ReusableHeaders _responseHeaders = new();
    private readonly BytesPipeReader _requestBody = new();
    private readonly BufferResponseBody _responseBody = new();
    private byte[] _body = [];
    private bool _started;

    public InMemoryExchange()
    {
        _request.Protocol = "HTTP/1.1";
        _request.Scheme = "http";
        _request.PathBase = "";
        _request.Headers = _requestHeaders;
        _response.Headers = _responseHeaders;
        Features.Set<IHttpRequestFeature>(_request);
        Features.Set<IRequestBodyPipeFeature>(_requestBody);
        Features.Set<IHttpResponseFeature>(_response);
        Features.Set<IHttpResponseBodyFeature>(_responseBody);
    }

    public FeatureCollection Features { get; } = new();

    public int StatusCode => _response.StatusCode;

    public ReadOnlySpan<byte> ResponseBody => _responseBody.Written;

    /// <summary>The request body bytes; a caller may change them in place between runs (a new userName per POST).</summary>
    public byte[] RequestBody => _body;

    /// <summary>Sets the request; <paramref name="target"/> is the path with an optional <c>?query</c>.</summary>
    public InMemoryExchange Request(string method, string target, string? token, byte[]? body = null)
    {
        var query = target.IndexOf('?', StringComparison.Ordinal);
        _request.Method = method;
        _request.Path = query < 0 ? target : target[..query];
        _request.QueryString = query < 0 ? "" : target[query..];
        _request.RawTarget = target;
        _requestHeaders.Clear();
        _requestHeaders.Host = "127.0.0.1:8080";
        _requestHeaders.Accept = "application/scim+json";
        _requestHeaders.UserAgent = "FastScim.Benchmarks";
        if (token is not null)
        {
            _requestHeaders.Authorization = "Bearer " + token;
        }

        _body = body ?? [];
        if (body is not null)
        {
            _requestHeaders.ContentType = "application/scim+json";
            _requestHeaders.ContentLength = body.Length;
        }

        _started = false;
        return this;
    }

    /// <summary>
    /// Readies the exchange for the next run of the same request. Before that it checks the
    /// previous run's status (a fast wrong answer must not be recorded); checking here rather
    /// than after the await keeps the benchmark methods free of async state machines of their own.
    /// </summary>
    public void Begin(int expectedStatus)
    {
        if (_started && _response.StatusCode != expectedStatus)
        {
            ThrowUnexpected(expectedStatus);
        }

        _started = true;
        _response.StatusCode = 200;
        _response.ReasonPhrase = null;
        _responseHeaders.Clear();
        _responseBody.Reset();
        _requestBody.Reset(_body);
    }

    /// <summary>Throws unless the last run answered <paramref name="expectedStatus"/>.</summary>
    public void Verify(int expectedStatus)
    {
        if (_started && _response.StatusCode != expectedStatus)
        {
            ThrowUnexpected(expectedStatus);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowUnexpected(int expectedStatus) => throw new InvalidOperationException(
        $"{_request.Method} {_request.RawTarget} answered {_response.StatusCode}, not {expectedStatus}: {System.Text.Encoding.UTF8.GetString(ResponseBody)}");

    /// <summary>The request body: the whole byte array at once, rewound by <see cref="Reset"/>.</summary>
    private sealed class BytesPipeReader : PipeReader, IRequestBodyPipeFeature
    {
        private ReadOnlySequence<byte> _data;

        public PipeReader Reader => this;

        public void Reset(byte[] data) => _data = new ReadOnlySequence<byte>(data);

        public override bool TryRead(out ReadResult result)
        {
            result = new ReadResult(_data, isCanceled: false, isCompleted: true);
            return true;
        }

        public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) =>
            new(new ReadResult(_data, isCanceled: false, isCompleted: true));

        public override void AdvanceTo(SequencePosition consumed) => _data = _data.Slice(consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => _data = _data.Slice(consumed);

        public override void CancelPendingRead()
        {
        }

        public override void Complete(Exception? exception = null)
        {
        }
    }

    /// <summary>The response body: a growing buffer, kept between runs (cleared, not freed).</summary>
    private sealed class BufferResponseBody : PipeWriter, IHttpResponseBodyFeature
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
        private Stream? _stream;

        public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

        public Stream Stream => _stream ??= AsStream(leaveOpen: true);

        public PipeWriter Writer => this;

        public void Reset() => _buffer.ResetWrittenCount();

        public override void Advance(int bytes) => _buffer.Advance(bytes);

        public override Memory<byte> GetMemory(int sizeHint = 0) => _buffer.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => _buffer.GetSpan(sizeHint);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => default;

        public override void CancelPendingFlush()
        {
        }

        public override void Complete(Exception? exception = null)
        {
        }

        public void DisableBuffering()
        {
        }

        public Task StartAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task CompleteAsync() => Task.CompletedTask;
    }
}
