using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace FastScim.Generators.Parsing;

/// <summary>Thrown for text that is not JSON (RFC 8259); carries the offending offset.</summary>
internal sealed class JsonSyntaxException : Exception
{
    public JsonSyntaxException(string message, int position)
        : base(message)
    {
        Position = position;
    }

    public int Position { get; }
}

/// <summary>
/// A small strict JSON reader over the schema file text that keeps every value's position so
/// diagnostics can point at a line and column. Hand-written because the generator runs inside the
/// compiler and must not depend on System.Text.Json (STYLE §4.3).
/// </summary>
internal ref struct SchemaJsonReader
{
    private const int MaxDepth = 64;
    private readonly string _text;
    private int _pos;
    private int _depth;

    private SchemaJsonReader(string text)
    {
        _text = text;
        _pos = 0;
        _depth = 0;
    }

    public static JsonNode Parse(string text)
    {
        var reader = new SchemaJsonReader(text);
        reader.SkipWhitespace();
        if (reader._pos < text.Length && text[reader._pos] == '\uFEFF')
        {
            reader._pos++;
            reader.SkipWhitespace();
        }

        var root = reader.ReadValue();
        reader.SkipWhitespace();
        if (reader._pos != text.Length)
        {
            throw new JsonSyntaxException("unexpected content after the end of the document", reader._pos);
        }

        return root;
    }

    private JsonNode ReadValue()
    {
        if (_pos >= _text.Length)
        {
            throw new JsonSyntaxException("unexpected end of the document", _pos);
        }

        var c = _text[_pos];
        switch (c)
        {
            case '{':
                return ReadObject();
            case '[':
                return ReadArray();
            case '"':
                {
                    var start = _pos;
                    var value = ReadString();
                    return new JsonNode(JsonKind.String, TextSpan.FromBounds(start, _pos)) { Text = value };
                }

            case 't':
                return ReadLiteral("true", JsonKind.True);
            case 'f':
                return ReadLiteral("false", JsonKind.False);
            case 'n':
                return ReadLiteral("null", JsonKind.Null);
            default:
                if (c == '-' || (c >= '0' && c <= '9'))
                {
                    return ReadNumber();
                }

                throw new JsonSyntaxException(string.Format(CultureInfo.InvariantCulture, "unexpected character '{0}'", c), _pos);
        }
    }

    private JsonNode ReadObject()
    {
        var start = _pos;
        Enter();
        _pos++;
        var properties = new List<JsonProperty>();
        SkipWhitespace();
        if (Peek() == '}')
        {
            _pos++;
            _depth--;
            return new JsonNode(JsonKind.Object, TextSpan.FromBounds(start, _pos)) { Properties = properties };
        }

        while (true)
        {
            SkipWhitespace();
            if (Peek() != '"')
            {
                throw new JsonSyntaxException("expected a property name in double quotes", _pos);
            }

            var nameStart = _pos;
            var name = ReadString();
            var nameSpan = TextSpan.FromBounds(nameStart, _pos);
            SkipWhitespace();
            Expect(':');
            SkipWhitespace();
            var value = ReadValue();
            properties.Add(new JsonProperty(name, nameSpan, value));
            SkipWhitespace();
            var next = Peek();
            if (next == ',')
            {
                _pos++;
                continue;
            }

            if (next == '}')
            {
                _pos++;
                break;
            }

            throw new JsonSyntaxException("expected ',' or '}' after a property value", _pos);
        }

        _depth--;
        return new JsonNode(JsonKind.Object, TextSpan.FromBounds(start, _pos)) { Properties = properties };
    }

    private JsonNode ReadArray()
    {
        var start = _pos;
        Enter();
        _pos++;
        var items = new List<JsonNode>();
        SkipWhitespace();
        if (Peek() == ']')
        {
            _pos++;
            _depth--;
            return new JsonNode(JsonKind.Array, TextSpan.FromBounds(start, _pos)) { Items = items };
        }

        while (true)
        {
            SkipWhitespace();
            items.Add(ReadValue());
            SkipWhitespace();
            var next = Peek();
            if (next == ',')
            {
                _pos++;
                continue;
            }

            if (next == ']')
            {
                _pos++;
                break;
            }

            throw new JsonSyntaxException("expected ',' or ']' after an array element", _pos);
        }

        _depth--;
        return new JsonNode(JsonKind.Array, TextSpan.FromBounds(start, _pos)) { Items = items };
    }

    private string ReadString()
    {
        // at the opening quote
        _pos++;
        StringBuilder? builder = null;
        var runStart = _pos;
        while (true)
        {
            if (_pos >= _text.Length)
            {
                throw new JsonSyntaxException("unterminated string", _pos);
            }

            var c = _text[_pos];
            if (c == '"')
            {
                string result;
                if (builder is null)
                {
                    result = _text.Substring(runStart, _pos - runStart);
                }
                else
                {
                    builder.Append(_text, runStart, _pos - runStart);
                    result = builder.ToString();
                }

                _pos++;
                return result;
            }

            if (c < ' ')
            {
                throw new JsonSyntaxException("control character in a string", _pos);
            }

            if (c != '\\')
            {
                _pos++;
                continue;
            }

            builder ??= new StringBuilder();
            builder.Append(_text, runStart, _pos - runStart);
            _pos++;
            if (_pos >= _text.Length)
            {
                throw new JsonSyntaxException("unterminated string", _pos);
            }

            var escape = _text[_pos];
            switch (escape)
            {
                case '"': builder.Append('"'); break;
                case '\\': builder.Append('\\'); break;
                case '/': builder.Append('/'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'u':
                    if (_pos + 4 >= _text.Length
                        || !int.TryParse(_text.Substring(_pos + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        throw new JsonSyntaxException("invalid \\u escape", _pos - 1);
                    }

                    builder.Append((char)code);
                    _pos += 4;
                    break;
                default:
                    throw new JsonSyntaxException(string.Format(CultureInfo.InvariantCulture, "invalid escape '\\{0}'", escape), _pos - 1);
            }

            _pos++;
            runStart = _pos;
        }
    }

    private JsonNode ReadNumber()
    {
        var start = _pos;
        if (Peek() == '-')
        {
            _pos++;
        }

        if (Peek() == '0')
        {
            _pos++;
        }
        else if (!ReadDigits())
        {
            throw new JsonSyntaxException("invalid number", start);
        }

        if (Peek() == '.')
        {
            _pos++;
            if (!ReadDigits())
            {
                throw new JsonSyntaxException("invalid number", start);
            }
        }

        if (Peek() == 'e' || Peek() == 'E')
        {
            _pos++;
            if (Peek() == '+' || Peek() == '-')
            {
                _pos++;
            }

            if (!ReadDigits())
            {
                throw new JsonSyntaxException("invalid number", start);
            }
        }

        return new JsonNode(JsonKind.Number, TextSpan.FromBounds(start, _pos)) { Text = _text.Substring(start, _pos - start) };
    }

    private bool ReadDigits()
    {
        var start = _pos;
        while (_pos < _text.Length && _text[_pos] >= '0' && _text[_pos] <= '9')
        {
            _pos++;
        }

        return _pos > start;
    }

    private JsonNode ReadLiteral(string literal, JsonKind kind)
    {
        if (string.CompareOrdinal(_text, _pos, literal, 0, literal.Length) != 0)
        {
            throw new JsonSyntaxException("invalid literal", _pos);
        }

        var start = _pos;
        _pos += literal.Length;
        return new JsonNode(kind, TextSpan.FromBounds(start, _pos));
    }

    private void Enter()
    {
        if (++_depth > MaxDepth)
        {
            throw new JsonSyntaxException("nesting is too deep", _pos);
        }
    }

    private void Expect(char c)
    {
        if (Peek() != c)
        {
            throw new JsonSyntaxException(string.Format(CultureInfo.InvariantCulture, "expected '{0}'", c), _pos);
        }

        _pos++;
    }

    private readonly char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

    private void SkipWhitespace()
    {
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            {
                return;
            }

            _pos++;
        }
    }
}
