using System.Globalization;
using System.Text;

namespace FastScim.Core.Filtering;

/// <summary>
/// Writes the canonical text of a filter: lower-case keywords, single spaces, strings in
/// JSON escapes (RFC 8259 §7), and parentheses only where precedence needs them ("and" binds
/// tighter than "or", both left-associative; RFC 7644 §3.4.2.2), so that parsing the text gives
/// back an equal tree.
/// </summary>
internal static class FilterWriter
{
    public static string Write(FilterNode node)
    {
        var builder = new StringBuilder();
        Append(builder, node);
        return builder.ToString();
    }

    public static void Append(StringBuilder builder, FilterNode node)
    {
        switch (node)
        {
            case ComparisonFilter c:
                builder.Append(c.Path.ToString()).Append(' ').Append(c.Operator.ToText()).Append(' ');
                AppendValue(builder, c.Value);
                break;
            case PresentFilter p:
                builder.Append(p.Path.ToString()).Append(" pr");
                break;
            case LogicalFilter l:
                AppendOperand(builder, l.Left, NeedsParentheses(l.Left, l.Operator, isRight: false));
                builder.Append(l.Operator == LogicalOperator.And ? " and " : " or ");
                AppendOperand(builder, l.Right, NeedsParentheses(l.Right, l.Operator, isRight: true));
                break;
            case NotFilter n:
                builder.Append("not (");
                Append(builder, n.Inner);
                builder.Append(')');
                break;
            case ValuePathFilter v:
                builder.Append(v.Path.ToString()).Append('[');
                Append(builder, v.Filter);
                builder.Append(']');
                break;
            default:
                throw new ArgumentException($"Unknown filter node {node.GetType().Name}.", nameof(node));
        }
    }

    public static void AppendValue(StringBuilder builder, FilterValue value)
    {
        switch (value.Kind)
        {
            case FilterValueKind.Text:
                AppendString(builder, value.Text ?? "");
                break;
            case FilterValueKind.Number:
                builder.Append(value.Text);
                break;
            case FilterValueKind.True:
                builder.Append("true");
                break;
            case FilterValueKind.False:
                builder.Append("false");
                break;
            default:
                builder.Append("null");
                break;
        }
    }

    public static void AppendString(StringBuilder builder, string text)
    {
        builder.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case < ' ': builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: builder.Append(c); break;
            }
        }

        builder.Append('"');
    }

    // Left-associative parsing: a right operand with the same operator, and an "or" under an
    // "and" on either side, need parentheses; nothing else does.
    private static bool NeedsParentheses(FilterNode child, LogicalOperator parent, bool isRight) =>
        child is LogicalFilter l
        && ((l.Operator == LogicalOperator.Or && parent == LogicalOperator.And) || (isRight && l.Operator == parent));

    private static void AppendOperand(StringBuilder builder, FilterNode node, bool parenthesise)
    {
        if (parenthesise)
        {
            builder.Append('(');
        }

        Append(builder, node);
        if (parenthesise)
        {
            builder.Append(')');
        }
    }
}
