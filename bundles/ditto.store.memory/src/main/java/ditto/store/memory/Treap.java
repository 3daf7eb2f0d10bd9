package ditto.store.memory;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A persistent (immutable, path-copying) treap of byte-string keys in unsigned lexicographic
 * order: the sorted structure behind one space of the in-memory storage.
 *
 * <p>Invariants: a {@link Node} never changes after construction; keys in a left subtree are
 * smaller and keys in a right subtree greater than the node's key; a parent's priority is
 * never below its children's (a max-heap on random priorities, which keeps the expected depth
 * logarithmic). Every update returns a new root that shares all untouched nodes with the old
 * one, so a root captured by a snapshot is an isolated view forever and costs nothing to keep.
 * {@code null} is the empty tree. The key and value arrays are owned by the tree and never
 * handed out.
 */
final class Treap {

    private Treap() {
    }

    /** One immutable tree node. */
    static final class Node {
        final byte[] key;
        final byte[] value;
        final Node left;
        final Node right;
        final int priority;

        Node(byte[] key, byte[] value, Node left, Node right, int priority) {
            this.key = key;
            this.value = value;
            this.left = left;
            this.right = right;
            this.priority = priority;
        }

        private Node withLeft(Node newLeft) {
            return new Node(key, value, newLeft, right, priority);
        }

        private Node withRight(Node newRight) {
            return new Node(key, value, left, newRight, priority);
        }
    }

    static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    /** Returns the value stored under {@code key}, or null. */
    static byte[] get(Node root, byte[] key) {
        Node node = root;
        while (node != null) {
            int c = compare(key, node.key);
            if (c == 0) {
                return node.value;
            }
            node = c < 0 ? node.left : node.right;
        }
        return null;
    }

    /**
     * Returns a tree with {@code key} set to {@code value}; a new node gets {@code priority}.
     */
    static Node put(Node node, byte[] key, byte[] value, int priority) {
        if (node == null) {
            return new Node(key, value, null, null, priority);
        }
        int c = compare(key, node.key);
        if (c == 0) {
            return new Node(node.key, value, node.left, node.right, node.priority);
        }
        if (c < 0) {
            Node left = put(node.left, key, value, priority);
            if (left.priority > node.priority) {
                // rotate right: the new left child rises above this node
                return left.withRight(node.withLeft(left.right));
            }
            return node.withLeft(left);
        }
        Node right = put(node.right, key, value, priority);
        if (right.priority > node.priority) {
            return right.withLeft(node.withRight(right.left));
        }
        return node.withRight(right);
    }

    /** Returns a tree without {@code key}; the same tree if the key is absent. */
    static Node delete(Node node, byte[] key) {
        if (node == null) {
            return null;
        }
        int c = compare(key, node.key);
        if (c == 0) {
            return merge(node.left, node.right);
        }
        if (c < 0) {
            Node left = delete(node.left, key);
            return left == node.left ? node : node.withLeft(left);
        }
        Node right = delete(node.right, key);
        return right == node.right ? node : node.withRight(right);
    }

    /** Returns a tree without the keys in {@code [from, to)}; {@code to == null} means to the end. */
    static Node deleteRange(Node root, byte[] from, byte[] to) {
        if (to != null && compare(from, to) >= 0) {
            return root;
        }
        Node[] low = split(root, from);
        if (to == null) {
            return low[0];
        }
        Node[] high = split(low[1], to);
        return merge(low[0], high[1]);
    }

    /** Splits into the keys below {@code key} and the keys at or above it. */
    private static Node[] split(Node node, byte[] key) {
        if (node == null) {
            return new Node[2];
        }
        if (compare(node.key, key) < 0) {
            Node[] parts = split(node.right, key);
            parts[0] = node.withRight(parts[0]);
            return parts;
        }
        Node[] parts = split(node.left, key);
        parts[1] = node.withLeft(parts[1]);
        return parts;
    }

    /** Joins two trees where every key of {@code a} is below every key of {@code b}. */
    private static Node merge(Node a, Node b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        if (a.priority > b.priority) {
            return a.withRight(merge(a.right, b));
        }
        return b.withLeft(merge(a, b.left));
    }

    /**
     * Iterates the nodes with {@code from <= key < to} in ascending or descending order. The
     * iterator keeps only a stack of at most the tree's depth.
     */
    static Iterator<Node> range(Node root, byte[] from, byte[] to, boolean reverse) {
        return reverse ? new Descending(root, from, to) : new Ascending(root, from, to);
    }

    /** In-order walk from the lower bound up. */
    private static final class Ascending implements Iterator<Node> {
        private final ArrayDeque<Node> stack = new ArrayDeque<>();
        private final byte[] to;
        private Node next;

        Ascending(Node root, byte[] from, byte[] to) {
            this.to = to;
            Node node = root;
            while (node != null) {
                if (from == null || compare(node.key, from) >= 0) {
                    stack.push(node);
                    node = node.left;
                } else {
                    node = node.right;
                }
            }
            advance();
        }

        private void advance() {
            if (stack.isEmpty()) {
                next = null;
                return;
            }
            Node node = stack.pop();
            if (to != null && compare(node.key, to) >= 0) {
                stack.clear();
                next = null;
                return;
            }
            next = node;
            for (Node n = node.right; n != null; n = n.left) {
                stack.push(n);
            }
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public Node next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            Node result = next;
            advance();
            return result;
        }
    }

    /** Reverse in-order walk from just below the upper bound down. */
    private static final class Descending implements Iterator<Node> {
        private final ArrayDeque<Node> stack = new ArrayDeque<>();
        private final byte[] from;
        private Node next;

        Descending(Node root, byte[] from, byte[] to) {
            this.from = from;
            Node node = root;
            while (node != null) {
                if (to == null || compare(node.key, to) < 0) {
                    stack.push(node);
                    node = node.right;
                } else {
                    node = node.left;
                }
            }
            advance();
        }

        private void advance() {
            if (stack.isEmpty()) {
                next = null;
                return;
            }
            Node node = stack.pop();
            if (from != null && compare(node.key, from) < 0) {
                stack.clear();
                next = null;
                return;
            }
            next = node;
            for (Node n = node.left; n != null; n = n.right) {
                stack.push(n);
            }
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public Node next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            Node result = next;
            advance();
            return result;
        }
    }
}
