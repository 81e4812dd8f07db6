package dev.tcpstate.capture;

import java.nio.ByteBuffer;

/**
 * A classic BPF program (what libpcap compiles a filter expression into) run in Java, as
 * libpcap's {@code bpf_filter} runs it for {@code pcap_offline_filter}: the same instructions,
 * the same answer, without a native call per frame. A load past the captured bytes rejects the
 * frame, as in libpcap; a program that jumps out of itself or divides by zero rejects it too.
 */
public final class BpfProgram {
    // instruction classes and fields, as in <pcap/bpf.h>
    private static final int LD = 0x00;
    private static final int LDX = 0x01;
    private static final int ST = 0x02;
    private static final int STX = 0x03;
    private static final int ALU = 0x04;
    private static final int JMP = 0x05;
    private static final int RET = 0x06;
    private static final int MISC = 0x07;
    private static final int W = 0x00;
    private static final int H = 0x08;
    private static final int B = 0x10;
    private static final int IMM = 0x00;
    private static final int ABS = 0x20;
    private static final int IND = 0x40;
    private static final int MEM = 0x60;
    private static final int LEN = 0x80;
    private static final int MSH = 0xa0;
    private static final int K = 0x00;
    private static final int X = 0x08;
    private static final int A = 0x10;
    private static final int MEMWORDS = 16;

    private final String expression;
    private final short[] codes;
    private final byte[] jumpsTrue;
    private final byte[] jumpsFalse;
    private final int[] constants;
    private final int[] memory = new int[MEMWORDS];

    /**
     * @param expression the filter it was compiled from, for messages
     * @param instructions {@code struct bpf_insn} as libpcap lays it out: 16-bit code, 8-bit jt,
     *     8-bit jf, 32-bit k, eight bytes each (in the host's byte order, which the caller has
     *     already read them in)
     */
    public BpfProgram(String expression, short[] codes, byte[] jumpsTrue, byte[] jumpsFalse, int[] constants) {
        if (codes.length == 0 || codes.length != jumpsTrue.length || codes.length != jumpsFalse.length
                || codes.length != constants.length) {
            throw new IllegalArgumentException("malformed BPF program for '" + expression + "'");
        }
        this.expression = expression;
        this.codes = codes.clone();
        this.jumpsTrue = jumpsTrue.clone();
        this.jumpsFalse = jumpsFalse.clone();
        this.constants = constants.clone();
    }

    public String expression() {
        return expression;
    }

    public int length() {
        return codes.length;
    }

    /** Whether the frame passes the filter (a non-zero return value, as libpcap reads it). */
    public boolean matches(Frame frame) {
        return run(frame.buffer(), frame.offset(), frame.capturedLength(), frame.originalLength()) != 0;
    }

    /**
     * Runs the program over {@code captured} bytes of a packet at {@code offset} in {@code packet}
     * whose length on the wire was {@code wireLength}; returns what it returns (0: reject).
     */
    public int run(ByteBuffer packet, int offset, int captured, int wireLength) {
        int a = 0;
        int x = 0;
        int pc = 0;
        while (pc < codes.length) {
            int code = codes[pc] & 0xFFFF;
            int k = constants[pc];
            switch (code & 0x07) {
                case LD, LDX -> {
                    int value;
                    int mode = code & 0xe0;
                    if (mode == IMM) {
                        value = k;
                    } else if (mode == LEN) {
                        value = wireLength;
                    } else if (mode == MEM) {
                        if (k < 0 || k >= MEMWORDS) {
                            return 0;
                        }
                        value = memory[k];
                    } else if ((code & 0x07) == LDX && mode == MSH) {
                        if (k < 0 || k >= captured) {
                            return 0;
                        }
                        value = (packet.get(offset + k) & 0x0f) << 2;
                    } else if ((code & 0x07) == LD && (mode == ABS || mode == IND)) {
                        long at = mode == ABS ? Integer.toUnsignedLong(k) : Integer.toUnsignedLong(x) + Integer.toUnsignedLong(k);
                        int size = (code & 0x18) == W ? 4 : (code & 0x18) == H ? 2 : (code & 0x18) == B ? 1 : -1;
                        if (size < 0 || at + size > captured) {
                            return 0;
                        }
                        int index = offset + (int) at;
                        value = size == 4 ? packet.getInt(index) : size == 2 ? packet.getShort(index) & 0xFFFF
                                : packet.get(index) & 0xFF;
                    } else {
                        return 0;
                    }
                    if ((code & 0x07) == LD) {
                        a = value;
                    } else {
                        x = value;
                    }
                }
                case ST, STX -> {
                    if (k < 0 || k >= MEMWORDS) {
                        return 0;
                    }
                    memory[k] = (code & 0x07) == ST ? a : x;
                }
                case ALU -> {
                    int operand = (code & 0x08) == X ? x : k;
                    switch (code & 0xf0) {
                        case 0x00 -> a += operand;
                        case 0x10 -> a -= operand;
                        case 0x20 -> a *= operand;
                        case 0x30 -> {
                            if (operand == 0) {
                                return 0;
                            }
                            a = Integer.divideUnsigned(a, operand);
                        }
                        case 0x40 -> a |= operand;
                        case 0x50 -> a &= operand;
                        case 0x60 -> a = Integer.compareUnsigned(operand, 32) >= 0 ? 0 : a << operand;
                        case 0x70 -> a = Integer.compareUnsigned(operand, 32) >= 0 ? 0 : a >>> operand;
                        case 0x80 -> a = -a;
                        case 0x90 -> {
                            if (operand == 0) {
                                return 0;
                            }
                            a = Integer.remainderUnsigned(a, operand);
                        }
                        case 0xa0 -> a ^= operand;
                        default -> {
                            return 0;
                        }
                    }
                }
                case JMP -> {
                    int operand = (code & 0x08) == X ? x : k;
                    boolean taken;
                    switch (code & 0xf0) {
                        case 0x00 -> { // JA: k is the offset
                            pc += 1 + k;
                            continue;
                        }
                        case 0x10 -> taken = a == operand;
                        case 0x20 -> taken = Integer.compareUnsigned(a, operand) > 0;
                        case 0x30 -> taken = Integer.compareUnsigned(a, operand) >= 0;
                        case 0x40 -> taken = (a & operand) != 0;
                        default -> {
                            return 0;
                        }
                    }
                    pc += 1 + ((taken ? jumpsTrue[pc] : jumpsFalse[pc]) & 0xFF);
                    continue;
                }
                case RET -> {
                    return (code & 0x18) == A ? a : k;
                }
                case MISC -> {
                    if ((code & 0xf8) == 0x00) {
                        x = a; // TAX
                    } else if ((code & 0xf8) == 0x80) {
                        a = x; // TXA
                    } else {
                        return 0;
                    }
                }
                default -> {
                    return 0;
                }
            }
            pc++;
        }
        return 0; // fell off the end: libpcap's validator would not have let it through
    }

    @Override
    public String toString() {
        return "BPF '" + expression + "' (" + codes.length + " instructions)";
    }
}
