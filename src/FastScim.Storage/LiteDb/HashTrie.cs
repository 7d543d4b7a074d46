using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace FastScim.Storage.LiteDb;

/// <summary>
/// A persistent (immutable, structurally shared) map from string keys to values: a hash array
/// mapped trie (Phil Bagwell, "Ideal Hash Trees", 2001) edited through a transient
/// <see cref="Builder"/>. It stands in for <c>ImmutableDictionary</c> in the in-memory model,
/// whose builder walks and rebalances an AVL tree over hash codes (about 14 levels at
/// 10,000–100,000 keys); here a lookup visits about log32(n) nodes (3–4), and a batch of edits
/// copies each path it touches once, then changes the copies in place.
/// </summary>
/// <remarks>
/// <para>
/// Each level of the trie takes the next 5 bits of the key's 32-bit hash, so a node has 32
/// slots. Slots are stored densely, Bagwell's bitmap-indexed node: a bitmap says which slots are
/// used, and the entry of a used slot is at the number of used slots below it (a popcount). As
/// in CHAMP (Steindorfer and Vinju, "Optimizing Hash-Array Mapped Tries for Fast and Lean
/// Immutable JVM Collections", 2015) a node keeps two bitmaps and two arrays, one of leaves and
/// one of children, so that a child costs one reference rather than a whole leaf-sized slot:
/// the nodes near the root are mostly children, and path copying copies them on every batch.
/// A leaf keeps its key's hash, so that comparisons fail fast and nodes split without hashing
/// keys again. Keys with equal full hashes, which no number of levels would tell apart, share a
/// collision node searched linearly.
/// </para>
/// <para>
/// Editing: every node records the edit token of the builder that made it. A builder changes
/// nodes with its own token in place and copies any other node, and with it the path above it
/// (path copying). <see cref="Builder.ToImmutable"/> hands out the root and gives the builder a
/// new token, so nodes reachable from a trie that was handed out are never written again:
/// readers of a published trie need no lock while a builder makes the next one.
/// </para>
/// <para>
/// Removal keeps the trie canonical: a child left with a single key (or with only a collision
/// node) is replaced by it in its parent, and a trie without keys has an empty root. The shape
/// then depends only on the keys held, not on the history of edits, so churn does not grow it.
/// </para>
/// </remarks>
internal sealed class HashTrie<TValue>
{
    private const int BitsPerLevel = 5;
    private const int SlotMask = (1 << BitsPerLevel) - 1;

    /// <summary>The root of every empty trie; no builder owns it, so the first edit copies it.</summary>
    private static readonly BitmapNode EmptyRoot = new(null, 0, [], 0, []);

    private readonly BitmapNode _root;

    private HashTrie(IEqualityComparer<string> comparer, BitmapNode root, int count)
    {
        KeyComparer = comparer;
        _root = root;
        Count = count;
    }

    /// <summary>An empty trie whose keys hash and compare with <paramref name="comparer"/>.</summary>
    public static HashTrie<TValue> Create(IEqualityComparer<string> comparer)
    {
        ArgumentNullException.ThrowIfNull(comparer);
        return new HashTrie<TValue>(comparer, EmptyRoot, 0);
    }

    public IEqualityComparer<string> KeyComparer { get; }

    public int Count { get; }

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TValue value) =>
        Find(_root, KeyComparer, Hash(KeyComparer, key), key, out value);

    public bool ContainsKey(string key) => Find(_root, KeyComparer, Hash(KeyComparer, key), key, out _);

    /// <summary>A builder starting from this trie; this trie never changes.</summary>
    public Builder ToBuilder() => new(this);

    /// <summary>
    /// For tests: the number of nodes. Because removal keeps the trie canonical, it equals that of
    /// a trie built afresh from the same keys, whatever was added and removed before.
    /// </summary>
    internal int CountNodes() => CountNodes(_root);

    private static int CountNodes(Node node)
    {
        int nodes = 1;
        foreach (Node child in node is BitmapNode bitmapNode ? bitmapNode.Children : [])
        {
            nodes += CountNodes(child);
        }

        return nodes;
    }

    private static int Hash(IEqualityComparer<string> comparer, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return comparer.GetHashCode(key);
    }

    /// <summary>The slot bit of <paramref name="hash"/> at the level that starts at bit <paramref name="shift"/>.</summary>
    private static uint Bit(int hash, int shift) => 1u << (int)(((uint)hash >> shift) & SlotMask);

    private static bool Find(BitmapNode root, IEqualityComparer<string> comparer, int hash, string key, [MaybeNullWhen(false)] out TValue value)
    {
        Node node = root;
        for (int shift = 0; node is BitmapNode bitmapNode; shift += BitsPerLevel)
        {
            uint bit = Bit(hash, shift);
            if ((bitmapNode.ChildMap & bit) != 0)
            {
                node = bitmapNode.Children[bitmapNode.ChildIndex(bit)];
                continue;
            }

            if ((bitmapNode.LeafMap & bit) != 0)
            {
                ref readonly Leaf leaf = ref bitmapNode.Leaves[bitmapNode.LeafIndex(bit)];
                if (leaf.Hash == hash && comparer.Equals(leaf.Key, key))
                {
                    value = leaf.Value;
                    return true;
                }
            }

            value = default;
            return false;
        }

        var collision = (CollisionNode)node;
        int at = collision.Hash == hash ? collision.IndexOf(key, comparer) : -1;
        value = at >= 0 ? collision.Leaves[at].Value : default;
        return at >= 0;
    }

    /// <summary>
    /// Edits a trie in place where it may: in nodes it made since it was created or since its last
    /// <see cref="ToImmutable"/>. Single-threaded, like any builder.
    /// </summary>
    public sealed class Builder
    {
        private readonly IEqualityComparer<string> _comparer;
        private BitmapNode _root;
        private int _count;

        /// <summary>Marks the nodes this builder may change in place; replaced by <see cref="ToImmutable"/>.</summary>
        private Edit _edit = new();

        /// <summary>The trie this builder holds the same keys and values as, until the next edit.</summary>
        private HashTrie<TValue>? _unchanged;

        internal Builder(HashTrie<TValue> trie)
        {
            _comparer = trie.KeyComparer;
            _root = trie._root;
            _count = trie.Count;
            _unchanged = trie;
        }

        public int Count => _count;

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out TValue value) =>
            Find(_root, _comparer, Hash(_comparer, key), key, out value);

        public bool ContainsKey(string key) => Find(_root, _comparer, Hash(_comparer, key), key, out _);

        public TValue this[string key]
        {
            get => TryGetValue(key, out TValue? value) ? value : ThrowKeyNotFound(key);
            set
            {
                _root = (BitmapNode)Set(_root, 0, new Leaf(Hash(_comparer, key), key, value));
                _unchanged = null;
            }
        }

        /// <summary>Removes <paramref name="key"/>; true when it was there.</summary>
        public bool Remove(string key)
        {
            // Looking first keeps Remove(node) simple (the key is there) and copies nothing for a missing key.
            int hash = Hash(_comparer, key);
            if (!Find(_root, _comparer, hash, key, out _))
            {
                return false;
            }

            _root = (BitmapNode?)Remove(_root, 0, hash, key) ?? EmptyRoot;
            _count--;
            _unchanged = null;
            return true;
        }

        /// <summary>The trie as it is now, in O(1): later edits of this builder copy what they change of it.</summary>
        public HashTrie<TValue> ToImmutable()
        {
            if (_unchanged is null)
            {
                _unchanged = new HashTrie<TValue>(_comparer, _root, _count);
                _edit = new Edit(); // the nodes just handed out are never written again
            }

            return _unchanged;
        }

        /// <summary>Sets <paramref name="leaf"/>'s key in the subtrie <paramref name="node"/> at level <paramref name="shift"/>; returns the subtrie's new root.</summary>
        private Node Set(Node node, int shift, Leaf leaf)
        {
            if (node is CollisionNode collision)
            {
                if (leaf.Hash != collision.Hash)
                {
                    // Another hash reached this slot: a node (or more) above the collision node tells them apart.
                    return Set(new BitmapNode(_edit, 0, [], Bit(collision.Hash, shift), [collision]), shift, leaf);
                }

                int at = collision.IndexOf(leaf.Key, _comparer);
                if (at >= 0)
                {
                    return collision.SetLeaf(_edit, at, leaf);
                }

                _count++;
                return collision.With(_edit, Inserted(collision.Leaves, collision.Leaves.Length, leaf));
            }

            var bitmapNode = (BitmapNode)node;
            uint bit = Bit(leaf.Hash, shift);
            if ((bitmapNode.ChildMap & bit) != 0)
            {
                int index = bitmapNode.ChildIndex(bit);
                Node child = bitmapNode.Children[index];
                Node updated = Set(child, shift + BitsPerLevel, leaf);
                return updated == child ? bitmapNode : bitmapNode.SetChild(_edit, index, updated);
            }

            if ((bitmapNode.LeafMap & bit) == 0)
            {
                _count++;
                return bitmapNode.InsertLeaf(_edit, bit, leaf);
            }

            int leafIndex = bitmapNode.LeafIndex(bit);
            Leaf other = bitmapNode.Leaves[leafIndex];
            if (other.Hash == leaf.Hash && _comparer.Equals(other.Key, leaf.Key))
            {
                return bitmapNode.SetLeaf(_edit, leafIndex, leaf);
            }

            // Two keys in one slot: they move one level down, into a collision node if their hashes are equal.
            _count++;
            Node below = other.Hash == leaf.Hash
                ? new CollisionNode(_edit, leaf.Hash, [other, leaf])
                : Pair(shift + BitsPerLevel, other, leaf);
            return bitmapNode.LeafToChild(_edit, bit, below);
        }

        /// <summary>A node at level <paramref name="shift"/> holding two leaves whose hashes differ (under single-child nodes while their slots agree).</summary>
        private BitmapNode Pair(int shift, Leaf leaf1, Leaf leaf2)
        {
            uint bit1 = Bit(leaf1.Hash, shift);
            uint bit2 = Bit(leaf2.Hash, shift);
            return bit1 == bit2
                ? new BitmapNode(_edit, 0, [], bit1, [Pair(shift + BitsPerLevel, leaf1, leaf2)])
                : new BitmapNode(_edit, bit1 | bit2, bit1 < bit2 ? [leaf1, leaf2] : [leaf2, leaf1], 0, []);
        }

        /// <summary>Removes <paramref name="key"/>, which is there, from the subtrie <paramref name="node"/>; returns the subtrie's new root, or null when it is left empty.</summary>
        private Node? Remove(Node node, int shift, int hash, string key)
        {
            if (node is CollisionNode collision)
            {
                // It holds two keys or more (one left alone is lifted into the parent, below).
                return collision.With(_edit, Removed(collision.Leaves, collision.IndexOf(key, _comparer)));
            }

            var bitmapNode = (BitmapNode)node;
            uint bit = Bit(hash, shift);
            if ((bitmapNode.LeafMap & bit) != 0)
            {
                return bitmapNode is { Leaves.Length: 1, Children.Length: 0 } ? null : bitmapNode.RemoveLeaf(_edit, bit);
            }

            int index = bitmapNode.ChildIndex(bit);
            Node child = bitmapNode.Children[index];

            // A child holds two keys or more (single keys are lifted, below), so it is never left empty.
            Node rest = Remove(child, shift + BitsPerLevel, hash, key)!;

            // A child left with one key, or with only a collision node, is a level that tells nothing apart: hold that here.
            if (rest is CollisionNode { Leaves.Length: 1 } or BitmapNode { Leaves.Length: 1, Children.Length: 0 })
            {
                return bitmapNode.ChildToLeaf(_edit, bit, rest.Leaves[0]);
            }

            if (rest is BitmapNode { Leaves.Length: 0, Children: [CollisionNode only] })
            {
                return bitmapNode.SetChild(_edit, index, only);
            }

            return rest == child ? bitmapNode : bitmapNode.SetChild(_edit, index, rest);
        }

        [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
        private static TValue ThrowKeyNotFound(string key) => throw new KeyNotFoundException($"The key '{key}' is not in the map.");
    }

    private static T[] Inserted<T>(T[] items, int index, T item)
    {
        var result = new T[items.Length + 1];
        items.AsSpan(0, index).CopyTo(result);
        result[index] = item;
        items.AsSpan(index).CopyTo(result.AsSpan(index + 1));
        return result;
    }

    private static T[] Removed<T>(T[] items, int index)
    {
        var result = new T[items.Length - 1];
        items.AsSpan(0, index).CopyTo(result);
        items.AsSpan(index + 1).CopyTo(result.AsSpan(index));
        return result;
    }

    /// <summary>A copy for a node's new owner, which writes into its arrays: no two nodes share one (an empty array has nothing to write).</summary>
    private static T[] Copy<T>(T[] items) => items.Length == 0 ? items : (T[])items.Clone();

    /// <summary>A builder's identity as node owner (compared by reference).</summary>
    private sealed class Edit;

    /// <summary>A key, its hash and its value.</summary>
    private readonly struct Leaf(int hash, string key, TValue value)
    {
        public int Hash { get; } = hash;
        public string Key { get; } = key;
        public TValue Value { get; } = value;
    }

    /// <summary>
    /// A trie node. Only its owner (the builder whose edit token it carries, and only until that
    /// builder's next ToImmutable) writes its fields and arrays; any other builder copies it first.
    /// </summary>
    private abstract class Node(Edit? owner, Leaf[] leaves)
    {
        private readonly Edit? _owner = owner;

        public Leaf[] Leaves { get; protected set; } = leaves;

        protected bool IsOwnedBy(Edit edit) => ReferenceEquals(_owner, edit);
    }

    /// <summary>
    /// Bagwell's bitmap-indexed node, split: the leaves of the slots in <see cref="LeafMap"/> and
    /// the children of the slots in <see cref="ChildMap"/>, each in slot order. The edits return
    /// the node to hold in the parent: this one, changed, when the builder owns it, else a copy.
    /// </summary>
    private sealed class BitmapNode(Edit? owner, uint leafMap, Leaf[] leaves, uint childMap, Node[] children) : Node(owner, leaves)
    {
        public uint LeafMap { get; private set; } = leafMap;
        public uint ChildMap { get; private set; } = childMap;
        public Node[] Children { get; private set; } = children;

        /// <summary>Where the leaf of slot <paramref name="bit"/> is (or would go): the number of leaf slots below it.</summary>
        public int LeafIndex(uint bit) => BitOperations.PopCount(LeafMap & (bit - 1));

        public int ChildIndex(uint bit) => BitOperations.PopCount(ChildMap & (bit - 1));

        public BitmapNode SetLeaf(Edit edit, int index, Leaf leaf)
        {
            BitmapNode node = Editable(edit);
            node.Leaves[index] = leaf;
            return node;
        }

        public BitmapNode SetChild(Edit edit, int index, Node child)
        {
            BitmapNode node = Editable(edit);
            node.Children[index] = child;
            return node;
        }

        public BitmapNode InsertLeaf(Edit edit, uint bit, Leaf leaf) =>
            With(edit, LeafMap | bit, Inserted(Leaves, LeafIndex(bit), leaf), ChildMap, Children);

        public BitmapNode RemoveLeaf(Edit edit, uint bit) =>
            With(edit, LeafMap & ~bit, Removed(Leaves, LeafIndex(bit)), ChildMap, Children);

        public BitmapNode LeafToChild(Edit edit, uint bit, Node child) =>
            With(edit, LeafMap & ~bit, Removed(Leaves, LeafIndex(bit)), ChildMap | bit, Inserted(Children, ChildIndex(bit), child));

        public BitmapNode ChildToLeaf(Edit edit, uint bit, Leaf leaf) =>
            With(edit, LeafMap | bit, Inserted(Leaves, LeafIndex(bit), leaf), ChildMap & ~bit, Removed(Children, ChildIndex(bit)));

        private BitmapNode Editable(Edit edit) =>
            IsOwnedBy(edit) ? this : new BitmapNode(edit, LeafMap, Copy(Leaves), ChildMap, Copy(Children));

        /// <summary>This node with new maps and arrays (of which one may be the old one, which a copy must not share).</summary>
        private BitmapNode With(Edit edit, uint leafMap, Leaf[] leaves, uint childMap, Node[] children)
        {
            if (!IsOwnedBy(edit))
            {
                return new BitmapNode(
                    edit, leafMap, leaves == Leaves ? Copy(leaves) : leaves, childMap, children == Children ? Copy(children) : children);
            }

            LeafMap = leafMap;
            Leaves = leaves;
            ChildMap = childMap;
            Children = children;
            return this;
        }
    }

    /// <summary>The leaves of keys whose full hashes are all <see cref="Hash"/>, in no order.</summary>
    private sealed class CollisionNode(Edit? owner, int hash, Leaf[] leaves) : Node(owner, leaves)
    {
        public int Hash { get; } = hash;

        public int IndexOf(string key, IEqualityComparer<string> comparer)
        {
            Leaf[] leaves = Leaves;
            for (int i = 0; i < leaves.Length; i++)
            {
                if (comparer.Equals(leaves[i].Key, key))
                {
                    return i;
                }
            }

            return -1;
        }

        public CollisionNode SetLeaf(Edit edit, int index, Leaf leaf)
        {
            CollisionNode node = IsOwnedBy(edit) ? this : new CollisionNode(edit, Hash, Copy(Leaves));
            node.Leaves[index] = leaf;
            return node;
        }

        /// <summary>This node with new leaves (never the old array).</summary>
        public CollisionNode With(Edit edit, Leaf[] leaves)
        {
            if (!IsOwnedBy(edit))
            {
                return new CollisionNode(edit, Hash, leaves);
            }

            Leaves = leaves;
            return this;
        }
    }
}
