using System.Globalization;
using System.Text.Json;

namespace FastScim.Transfer;

/// <summary>One resource of an import file: its JSON (valid until the next read) and where it stands.</summary>
internal readonly record struct FileResource(int Index, ReadOnlyMemory<byte> Json, string Position);

/// <summary>
/// The resources of an import file, one at a time: the elements of a ListResponse's
/// <c>Resources</c> (RFC 7644 §3.4.2), as <c>fastscim export</c> writes it, or of a top-level JSON
/// array. The file is streamed through <see cref="Utf8JsonReader"/> and only the resource being
/// read is held, so a file of any size fits. Malformed JSON is an <see cref="InvalidDataException"/>
/// that says where: line and byte, as the reader counts them across the whole file.
/// </summary>
internal sealed class ResourceFile : IDisposable
{
    private readonly Stream _stream;
    private readonly string _path;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _endOfFile;
    private bool _started;
    private JsonReaderState _state;
    private long _line = 1; // of the byte at _start
    private long _column; // bytes between the line's start and _start
    private Phase _phase;
    private int _index;

    private ResourceFile(Stream stream, string path)
    {
        _stream = stream;
        _path = path;
    }

    private enum Phase
    {
        Start,
        ListResponse,
        ResourcesValue,
        Resources,
        AfterResources,
        Array,
        Done,
    }

    /// <summary>Throws <see cref="IOException"/> (or <see cref="UnauthorizedAccessException"/>) when the file cannot be read.</summary>
    public static ResourceFile Open(string path)
    {
        try
        {
            return new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan), path);
        }
        catch (Exception missing) when (missing is FileNotFoundException or DirectoryNotFoundException)
        {
            // Said here: the runtime's own message is only a resource key in the trimmed binary.
            throw new IOException($"{path}: there is no such file.", missing);
        }
    }

    /// <summary>The next resource, or null after the last.</summary>
    public FileResource? Next()
    {
        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _endOfFile, _state);
            try
            {
                if (Advance(ref reader) is { } resource)
                {
                    return resource;
                }
            }
            catch (JsonException error)
            {
                // The reader's state carries its line and byte across buffers: they count from the file's start.
                var reason = error.Message.Split(" LineNumber:", 2)[0].Split('\n', 2)[0].TrimEnd();
                throw Malformed(error.LineNumber + 1 ?? _line, error.BytePositionInLine + 1 ?? 1, "not valid JSON: " + reason);
            }

            if (_endOfFile)
            {
                return null; // the reader saw the whole JSON value and nothing after it
            }

            Refill();
        }
    }

    public void Dispose() => _stream.Dispose();

    /// <summary>Reads on until a whole resource is in the buffer (answered) or the buffer runs out (null).</summary>
    private FileResource? Advance(ref Utf8JsonReader reader)
    {
        while (true)
        {
            var before = reader.CurrentState;
            var consumedBefore = reader.BytesConsumed;
            if (!reader.Read())
            {
                Commit(reader.BytesConsumed, reader.CurrentState);
                return null;
            }

            switch (_phase)
            {
                case Phase.Start when reader.TokenType == JsonTokenType.StartArray:
                    _phase = Phase.Array;
                    break;
                case Phase.Start when reader.TokenType == JsonTokenType.StartObject:
                    _phase = Phase.ListResponse;
                    break;
                case Phase.Start:
                    throw Malformed(ref reader, "expected a ListResponse (an object with \"Resources\") or a JSON array of resources.");
                case Phase.ListResponse when reader.TokenType == JsonTokenType.EndObject:
                    throw Malformed(ref reader, "the object has no \"Resources\" array: it is not a ListResponse (RFC 7644 §3.4.2).");
                case Phase.ListResponse when string.Equals(reader.GetString(), "Resources", StringComparison.OrdinalIgnoreCase):
                    _phase = Phase.ResourcesValue;
                    break;
                case Phase.AfterResources when reader.TokenType == JsonTokenType.EndObject:
                    _phase = Phase.Done;
                    break;
                case Phase.ListResponse or Phase.AfterResources:
                    // Another member (schemas, totalResults…): read past it.
                    if (!reader.TrySkip())
                    {
                        Commit(consumedBefore, before); // the member's value is not all here yet
                        return null;
                    }

                    break;
                case Phase.ResourcesValue when reader.TokenType == JsonTokenType.StartArray:
                    _phase = Phase.Resources;
                    break;
                case Phase.ResourcesValue:
                    throw Malformed(ref reader, "\"Resources\" is not an array.");
                case Phase.Resources or Phase.Array when reader.TokenType == JsonTokenType.EndArray:
                    _phase = _phase == Phase.Resources ? Phase.AfterResources : Phase.Done;
                    break;
                case Phase.Resources or Phase.Array when reader.TokenType == JsonTokenType.StartObject:
                    var start = (int)reader.TokenStartIndex;
                    if (!reader.TrySkip())
                    {
                        Commit(consumedBefore, before); // the resource is not all here yet
                        return null;
                    }

                    var end = (int)reader.BytesConsumed;
                    var position = string.Create(CultureInfo.InvariantCulture, $"{(_phase == Phase.Resources ? "Resources" : "")}[{_index}], line {Where(start).Line}");
                    var resource = new FileResource(_index++, _buffer.AsMemory(_start + start, end - start), position);
                    Commit(end, reader.CurrentState);
                    return resource;
                case Phase.Resources or Phase.Array:
                    throw Malformed(ref reader, string.Create(CultureInfo.InvariantCulture, $"{(_phase == Phase.Resources ? "Resources" : "")}[{_index}] is not a JSON object."));
                default:
                    break; // Done: the reader itself refuses anything but white space after the value
            }
        }
    }

    /// <summary>Moves past what the reader consumed, counting its lines.</summary>
    private void Commit(long consumed, JsonReaderState state)
    {
        var passed = _buffer.AsSpan(_start, (int)consumed);
        var lastNewLine = passed.LastIndexOf((byte)'\n');
        _line += passed.Count((byte)'\n');
        _column = lastNewLine >= 0 ? passed.Length - lastNewLine - 1 : _column + passed.Length;
        _start += (int)consumed;
        _state = state;
    }

    private void Refill()
    {
        var unread = _end - _start;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, unread);
            _start = 0;
            _end = unread;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2); // one resource larger than the buffer
        }

        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        _end += read;
        _endOfFile = read == 0;
        if (!_started && _end >= 3 && _buffer.AsSpan(0, 3).SequenceEqual("\uFEFF"u8))
        {
            _start = 3; // Utf8JsonReader does not skip a UTF-8 byte order mark; editors on Windows write one
        }

        _started |= _end > 0 || _endOfFile;
    }

    /// <summary>Line and byte (from 1) of an offset into the unread bytes.</summary>
    private (long Line, long Byte) Where(int offset)
    {
        var before = _buffer.AsSpan(_start, offset);
        var lastNewLine = before.LastIndexOf((byte)'\n');
        var line = _line + before.Count((byte)'\n');
        return (line, lastNewLine >= 0 ? offset - lastNewLine : _column + offset + 1);
    }

    private InvalidDataException Malformed(ref Utf8JsonReader reader, string reason)
    {
        var (line, column) = Where((int)reader.TokenStartIndex);
        return Malformed(line, column, reason);
    }

    private InvalidDataException Malformed(long line, long column, string reason) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{_path}: line {line}, byte {column}: {reason}"));
}
