using System.Buffers;
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
        _json = UserData.FullUserJson();
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
