using System.Globalization;
using System.Text;
using FastScim.Core.Protocol;

namespace FastScim.Core.Filtering;

/// <summary>
/// Splits filter text (RFC 7644 §3.4.2.2, Figure 1) into tokens. Positions are offsets into the
/// whole input, so a filter inside a PATCH path reports positions within that path. Whitespace
/// (SP in the ABNF; also tab, CR and LF) separates tokens. String tokens are JSON strings
/// (RFC 8259 §7) and are decoded here.
/// </summary>
internal ref struct FilterLexer
{
    private readonly ReadOnlySpan<char> _input;
    private readonly int _end;
    private readonly ScimType _errorType;
    private int _position;

    /// <param name="input">The whole text (filter or PATCH path).</param>
    /// <param name="start">Where the filter starts.</param>
    /// <param name="end">Where it ends (exclusive).</param>
    /// <param name="errorType">The scimType of lexical errors.</param>
    public FilterLexer(ReadOnlySpan<char> input, int start, int end, ScimType errorType)
    {
        _input = input;
        _position = start;
        _end = end;
        _errorType = errorType;
    }

    public readonly ReadOnlySpan<char> Input => _input;

    /// <summary>The offset just past the last token read.</summary>
    public readonly int Position => _position;

    public FilterToken Next()
    {
        while (_position < _end && IsWhitespace(_input[_position]))
        {
            _position++;
        }

        if (_position >= _end)
        {
            return new FilterToken(FilterTokenKind.End, _end, 0, null);
        }

        var start = _position;
        var kind = _input[start] switch
        {
            '(' => FilterTokenKind.OpenParen,
            ')' => FilterTokenKind.CloseParen,
            '[' => FilterTokenKind.OpenBracket,
            ']' => FilterTokenKind.CloseBracket,
            '"' => FilterTokenKind.String,
            _ => FilterTokenKind.Word,
        };

        if (kind == FilterTokenKind.String)
        {
            var text = ReadString();
            return new FilterToken(kind, start, _position - start, text);
        }

        if (kind != FilterTokenKind.Word)
        {
            _position++;
            return new FilterToken(kind, start, 1, null);
        }

        while (_position < _end && !IsDelimiter(_input[_position]))
        {
            _position++;
        }

        return new FilterToken(kind, start, _position - start, null);
    }

    /// <summary>Reads the token after the current one without consuming it.</summary>
    public readonly FilterToken Peek()
    {
        var copy = this;
        return copy.Next();
    }

    public static bool IsWhitespace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsDelimiter(char c) => IsWhitespace(c) || c is '(' or ')' or '[' or ']' or '"';

    /// <summary>Whether every surrogate in <paramref name="text"/> is half of a pair.</summary>
    private static bool IsUnicode(string text)
    {
        // Most filter strings hold no surrogate at all: one vectorised search says so.
        var first = text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF');
        if (first < 0)
        {
            return true;
        }

        for (var i = first; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    // RFC 8259 §7: string = quotation-mark *char quotation-mark, with the eight short escapes
    // and \uXXXX; control characters must be escaped.
    private string ReadString()
    {
        var open = _position++;
        var builder = new StringBuilder();
        while (true)
        {
            if (_position >= _end)
            {
                FilterErrors.Throw(_errorType, $"The string starting at position {open + 1} is not closed with '\"'.");
            }

            var c = _input[_position];
            if (c == '"')
            {
                _position++;
                var text = builder.ToString();
                if (!IsUnicode(text))
                {
                    // RFC 8259 §8.2: an escaped lone surrogate is no character; compared or stored,
                    // it would match nothing or turn into U+FFFD.
                    FilterErrors.Throw(_errorType, $"The string starting at position {open + 1} escapes a lone surrogate, which is no Unicode character.");
                }

                return text;
            }

            if (c < ' ')
            {
                FilterErrors.Throw(_errorType, $"A control character (U+{(int)c:X4}) must be escaped in a string, at position {_position + 1}.");
            }

            if (c != '\\')
            {
                builder.Append(c);
                _position++;
                continue;
            }

            var escape = _position;
            if (_position + 1 >= _end)
            {
                FilterErrors.Throw(_errorType, $"The string starting at position {open + 1} is not closed with '\"'.");
            }

            var e = _input[_position + 1];
            _position += 2;
            switch (e)
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
                    ushort code = 0;
                    if (_position + 4 > _end
                        || !ushort.TryParse(_input.Slice(_position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out code))
                    {
                        FilterErrors.Throw(_errorType, $"Expected four hexadecimal digits after \\u at position {escape + 1}.");
                    }

                    builder.Append((char)code);
                    _position += 4;
                    break;
                default:
                    FilterErrors.Throw(_errorType, $"Unknown escape \\{e} at position {escape + 1}; expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX.");
                    break;
            }
        }
    }
}
