package dev.tcpstate.flow;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collection;
import java.util.RandomAccess;

/**
 * An immutable list of connection uids kept as record numbers: a flood finding names millions of
 * connections, and a number takes 8 bytes where a uid string takes about 50. Each uid is made when
 * it is read.
 */
public final class UidList extends AbstractList<String> implements RandomAccess {
    private static final UidList EMPTY = new UidList(new long[0]);
    private final long[] ids;

    private UidList(long[] ids) {
        this.ids = ids;
    }

    /** The uids of {@code records}, in their order. */
    public static UidList of(Collection<ConnectionRecord> records) {
        long[] ids = new long[records.size()];
        int i = 0;
        for (ConnectionRecord record : records) {
            ids[i++] = record.id();
        }
        return ids.length == 0 ? EMPTY : new UidList(ids);
    }

    /** {@code uids} as a uid list; each must be a uid tcpstate made. */
    public static UidList ofUids(Collection<String> uids) {
        if (uids instanceof UidList list) {
            return list;
        }
        long[] ids = new long[uids.size()];
        int i = 0;
        for (String uid : uids) {
            ids[i++] = ConnectionRecord.id(uid);
        }
        return ids.length == 0 ? EMPTY : new UidList(ids);
    }

    /** The record number of the {@code index}th uid. */
    public long id(int index) {
        return ids[index];
    }

    @Override
    public String get(int index) {
        return ConnectionRecord.uid(ids[index]);
    }

    @Override
    public int size() {
        return ids.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UidList list ? Arrays.equals(ids, list.ids) : super.equals(other);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }
}
