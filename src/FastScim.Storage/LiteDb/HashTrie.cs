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
/// Spare capacity: a node's arrays may be longer than what they hold, so that a builder adding
/// keys one at a time to a node it owns writes into the room left rather than allocating an
/// exact-size array per key. An array that is full grows geometrically (a bitmap node's up to
/// its 32 slots); a node copied from a trie handed out is copied exact-size. The counts are
/// therefore the bitmaps' popcounts (a collision node keeps its own), never the arrays' lengths;
/// the slots past them are never read, and hold no references (removal clears what it frees).
/// A node handed out keeps its spare room unwritten, like the rest of it.
/// </para>
/// <para>
/// Removal keeps the trie canonical: a child left with a single key (or with only a collision
/// node) is replaced by it in its parent, and a trie without keys has an empty root. The shape
/// then depends only on the keys held, not on the history of edits, so churn does not grow it
/// (the spare room of its arrays aside).
/// </para>
/// </remarks>
internal sealed class HashTrie<TValue>
{
    private const int BitsPerLevel = 5;
    private const int SlotMask = (1 << BitsPerLevel) - 1;
    private const int Slots = 1 << BitsPerLevel;

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
        if (node is BitmapNode bitmapNode)
        {
            foreach (Node child in bitmapNode.Children.AsSpan(0, bitmapNode.ChildCount))
            {
                nodes += CountNodes(child);
            }
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

        /// <summary>
        /// The value of <paramref name="key"/>, by reference, added with the default value first when
        /// missing (<paramref name="exists"/> says which): a read and a write of one key in one walk of
        /// the trie, where a lookup and a set would walk it twice (as
        /// <c>CollectionsMarshal.GetValueRefOrAddDefault</c> does for a dictionary). The reference is
        /// to a node this builder owns, so writing it changes no trie handed out; it is good until the
        /// builder's next edit, and a value added must be written before then.
        /// </summary>
        public ref TValue GetValueRefOrAddDefault(string key, out bool exists)
        {
            int hash = Hash(_comparer, key);
            _root = (BitmapNode)Reach(_root, 0, hash, key, out Leaf[] leaves, out int at, out exists);
            _unchanged = null;
            return ref leaves[at].Value;
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
                return collision.Add(_edit, leaf);
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
                ? new CollisionNode(_edit, leaf.Hash, [other, leaf], 2)
                : Pair(shift + BitsPerLevel, other, leaf);
            return bitmapNode.LeafToChild(_edit, bit, below);
        }

        /// <summary>
        /// Makes the path to <paramref name="key"/>'s leaf in the subtrie <paramref name="node"/> at level
        /// <paramref name="shift"/> this builder's own (copying what it does not own), adding the leaf with
        /// the default value when missing; returns the subtrie's new root and where the leaf is.
        /// </summary>
        private Node Reach(Node node, int shift, int hash, string key, out Leaf[] leaves, out int at, out bool exists)
        {
            if (node is CollisionNode collision && collision.Hash == hash)
            {
                at = collision.IndexOf(key, _comparer);
                exists = at >= 0;
                CollisionNode owned = exists ? collision.SetLeaf(_edit, at, collision.Leaves[at]) : collision.Add(_edit, new Leaf(hash, key, default!));
                if (!exists)
                {
                    _count++;
                    at = owned.Count - 1;
                }

                leaves = owned.Leaves;
                return owned;
            }

            if (node is BitmapNode bitmapNode)
            {
                uint bit = Bit(hash, shift);
                if ((bitmapNode.ChildMap & bit) != 0)
                {
                    int index = bitmapNode.ChildIndex(bit);
                    Node child = bitmapNode.Children[index];
                    Node updated = Reach(child, shift + BitsPerLevel, hash, key, out leaves, out at, out exists);
                    return updated == child ? bitmapNode : bitmapNode.SetChild(_edit, index, updated);
                }

                if ((bitmapNode.LeafMap & bit) == 0)
                {
                    _count++;
                    exists = false;
                    BitmapNode grown = bitmapNode.InsertLeaf(_edit, bit, new Leaf(hash, key, default!));
                    leaves = grown.Leaves;
                    at = grown.LeafIndex(bit);
                    return grown;
                }

                int leafIndex = bitmapNode.LeafIndex(bit);
                ref readonly Leaf leaf = ref bitmapNode.Leaves[leafIndex];
                if (leaf.Hash == hash && _comparer.Equals(leaf.Key, key))
                {
                    exists = true;
                    BitmapNode owned = bitmapNode.SetLeaf(_edit, leafIndex, leaf);
                    leaves = owned.Leaves;
                    at = leafIndex;
                    return owned;
                }
            }

            // Rare: the key goes where another key or hash is, and levels are added to tell them
            // apart. Set adds them; the walk again then finds the key in nodes this builder owns.
            Node added = Set(node, shift, new Leaf(hash, key, default!));
            Node reached = Reach(added, shift, hash, key, out leaves, out at, out _);
            exists = false;
            return reached;
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
                return collision.RemoveAt(_edit, collision.IndexOf(key, _comparer));
            }

            var bitmapNode = (BitmapNode)node;
            uint bit = Bit(hash, shift);
            if ((bitmapNode.LeafMap & bit) != 0)
            {
                return bitmapNode is { LeafCount: 1, ChildCount: 0 } ? null : bitmapNode.RemoveLeaf(_edit, bit);
            }

            int index = bitmapNode.ChildIndex(bit);
            Node child = bitmapNode.Children[index];

            // A child holds two keys or more (single keys are lifted, below), so it is never left empty.
            Node rest = Remove(child, shift + BitsPerLevel, hash, key)!;

            // A child left with one key, or with only a collision node, is a level that tells nothing apart: hold that here.
            if (rest is CollisionNode { Count: 1 } or BitmapNode { LeafCount: 1, ChildCount: 0 })
            {
                return bitmapNode.ChildToLeaf(_edit, bit, rest.Leaves[0]);
            }

            if (rest is BitmapNode { LeafCount: 0, ChildCount: 1, Children: [CollisionNode only, ..] })
            {
                return bitmapNode.SetChild(_edit, index, only);
            }

            return rest == child ? bitmapNode : bitmapNode.SetChild(_edit, index, rest);
        }

        [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
        private static TValue ThrowKeyNotFound(string key) => throw new KeyNotFoundException($"The key '{key}' is not in the map.");
    }

    /// <summary>
    /// The first <paramref name="count"/> of <paramref name="items"/> with <paramref name="item"/> inserted at
    /// <paramref name="index"/>: in <paramref name="items"/> itself when <paramref name="owned"/> (the builder's node's
    /// own array) and it has room; else in a new array, twice as long (up to <paramref name="max"/>) when owned, so
    /// that the next inserts find room, and exact-size for a copy of a node handed out, which may see no more.
    /// </summary>
    private static T[] Inserted<T>(T[] items, int count, int index, T item, bool owned, int max)
    {
        if (owned && count < items.Length)
        {
            items.AsSpan(index, count - index).CopyTo(items.AsSpan(index + 1)); // overlapping: CopyTo moves as memmove does
            items[index] = item;
            return items;
        }

        var result = new T[owned ? Math.Min(Math.Max(2 * count, 2), max) : count + 1];
        items.AsSpan(0, index).CopyTo(result);
        result[index] = item;
        items.AsSpan(index, count - index).CopyTo(result.AsSpan(index + 1));
        return result;
    }

    /// <summary>
    /// The first <paramref name="count"/> of <paramref name="items"/> without the one at <paramref name="index"/>: in
    /// <paramref name="items"/> itself when <paramref name="owned"/>, clearing the slot freed (so that it keeps nothing
    /// alive); else in a new exact-size array.
    /// </summary>
    private static T[] Removed<T>(T[] items, int count, int index, bool owned)
    {
        if (owned)
        {
            items.AsSpan(index + 1, count - index - 1).CopyTo(items.AsSpan(index));
            items[count - 1] = default!;
            return items;
        }

        if (count == 1)
        {
            return [];
        }

        var result = new T[count - 1];
        items.AsSpan(0, index).CopyTo(result);
        items.AsSpan(index + 1, count - index - 1).CopyTo(result.AsSpan(index));
        return result;
    }

    /// <summary>
    /// A copy of the first <paramref name="count"/> of <paramref name="items"/> for a node's new owner, which writes into
    /// its arrays: no two nodes share one (an empty array has nothing to write). Exact-size: a node copied for one edit
    /// may see no more, and a trie handed out sheds the spare room of what it copies.
    /// </summary>
    private static T[] Copy<T>(T[] items, int count) => count == 0 ? [] : items.AsSpan(0, count).ToArray();

    /// <summary>A builder's identity as node owner (compared by reference).</summary>
    private sealed class Edit;

    /// <summary>A key, its hash and its value (a field: <see cref="Builder.GetValueRefOrAddDefault"/> hands out a reference to it in a node the builder owns).</summary>
    private struct Leaf(int hash, string key, TValue value)
    {
        public readonly int Hash = hash;
        public readonly string Key = key;
        public TValue Value = value;
    }

    /// <summary>
    /// A trie node. Only its owner (the builder whose edit token it carries, and only until that
    /// builder's next ToImmutable) writes its fields and arrays, spare room included; any other
    /// builder copies it first.
    /// </summary>
    private abstract class Node(Edit? owner, Leaf[] leaves)
    {
        private readonly Edit? _owner = owner;

        /// <summary>The leaves, then spare room: how many are leaves is the subclass's count.</summary>
        public Leaf[] Leaves { get; protected set; } = leaves;

        protected bool IsOwnedBy(Edit edit) => ReferenceEquals(_owner, edit);
    }

    /// <summary>
    /// Bagwell's bitmap-indexed node, split: the leaves of the slots in <see cref="LeafMap"/> and
    /// the children of the slots in <see cref="ChildMap"/>, each in slot order at the start of its
    /// array (the rest is spare room). The edits return the node to hold in the parent: this one,
    /// changed, when the builder owns it, else a copy.
    /// </summary>
    private sealed class BitmapNode(Edit? owner, uint leafMap, Leaf[] leaves, uint childMap, Node[] children) : Node(owner, leaves)
    {
        public uint LeafMap { get; private set; } = leafMap;
        public uint ChildMap { get; private set; } = childMap;
        public Node[] Children { get; private set; } = children;

        public int LeafCount => BitOperations.PopCount(LeafMap);

        public int ChildCount => BitOperations.PopCount(ChildMap);

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

        // The arrays change in place only when the builder owns this node (Inserted and Removed are told so); the
        // arguments are computed from the old maps before With sets the new ones.
        public BitmapNode InsertLeaf(Edit edit, uint bit, Leaf leaf) =>
            With(edit, LeafMap | bit, Inserted(Leaves, LeafCount, LeafIndex(bit), leaf, IsOwnedBy(edit), Slots), ChildMap, Children);

        public BitmapNode RemoveLeaf(Edit edit, uint bit) =>
            With(edit, LeafMap & ~bit, Removed(Leaves, LeafCount, LeafIndex(bit), IsOwnedBy(edit)), ChildMap, Children);

        public BitmapNode LeafToChild(Edit edit, uint bit, Node child) =>
            With(
                edit,
                LeafMap & ~bit,
                Removed(Leaves, LeafCount, LeafIndex(bit), IsOwnedBy(edit)),
                ChildMap | bit,
                Inserted(Children, ChildCount, ChildIndex(bit), child, IsOwnedBy(edit), Slots));

        public BitmapNode ChildToLeaf(Edit edit, uint bit, Leaf leaf) =>
            With(
                edit,
                LeafMap | bit,
                Inserted(Leaves, LeafCount, LeafIndex(bit), leaf, IsOwnedBy(edit), Slots),
                ChildMap & ~bit,
                Removed(Children, ChildCount, ChildIndex(bit), IsOwnedBy(edit)));

        private BitmapNode Editable(Edit edit) =>
            IsOwnedBy(edit) ? this : new BitmapNode(edit, LeafMap, Copy(Leaves, LeafCount), ChildMap, Copy(Children, ChildCount));

        /// <summary>This node with new maps and arrays (of which one may be the old one, which a copy must not share).</summary>
        private BitmapNode With(Edit edit, uint leafMap, Leaf[] leaves, uint childMap, Node[] children)
        {
            if (!IsOwnedBy(edit))
            {
                return new BitmapNode(
                    edit,
                    leafMap,
                    leaves == Leaves ? Copy(leaves, BitOperations.PopCount(leafMap)) : leaves,
                    childMap,
                    children == Children ? Copy(children, BitOperations.PopCount(childMap)) : children);
            }

            LeafMap = leafMap;
            Leaves = leaves;
            ChildMap = childMap;
            Children = children;
            return this;
        }
    }

    /// <summary>
    /// The leaves of keys whose full hashes are all <see cref="Hash"/>, in no order: the first
    /// <see cref="Count"/> of its array (the rest is spare room, which grows without bound).
    /// </summary>
    private sealed class CollisionNode(Edit? owner, int hash, Leaf[] leaves, int count) : Node(owner, leaves)
    {
        public int Hash { get; } = hash;

        public int Count { get; private set; } = count;

        public int IndexOf(string key, IEqualityComparer<string> comparer)
        {
            ReadOnlySpan<Leaf> leaves = Leaves.AsSpan(0, Count);
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
            CollisionNode node = IsOwnedBy(edit) ? this : new CollisionNode(edit, Hash, Copy(Leaves, Count), Count);
            node.Leaves[index] = leaf;
            return node;
        }

        public CollisionNode Add(Edit edit, Leaf leaf) =>
            With(edit, Inserted(Leaves, Count, Count, leaf, IsOwnedBy(edit), int.MaxValue), Count + 1);

        public CollisionNode RemoveAt(Edit edit, int index) =>
            With(edit, Removed(Leaves, Count, index, IsOwnedBy(edit)), Count - 1);

        /// <summary>This node with new leaves (the old array only when the builder owns this node).</summary>
        private CollisionNode With(Edit edit, Leaf[] leaves, int count)
        {
            if (!IsOwnedBy(edit))
            {
                return new CollisionNode(edit, Hash, leaves, count);
            }

            Leaves = leaves;
            Count = count;
            return this;
        }
    }
}
