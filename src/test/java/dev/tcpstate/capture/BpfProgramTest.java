package dev.tcpstate.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The Java BPF machine on hand-assembled programs: each instruction class, and every way to reject. */
class BpfProgramTest {
    // opcodes as <pcap/bpf.h> builds them
    private static final int LD_H_ABS = 0x28;
    private static final int LD_B_ABS = 0x30;
    private static final int LD_W_ABS = 0x20;
    private static final int LD_B_IND = 0x50;
    private static final int LD_IMM = 0x00;
    private static final int LD_LEN = 0x80;
    private static final int LD_MEM = 0x60;
    private static final int LDX_MSH = 0xb1;
    private static final int LDX_IMM = 0x01;
    private static final int ST = 0x02;
    private static final int ALU_ADD_K = 0x04;
    private static final int ALU_AND_K = 0x54;
    private static final int ALU_DIV_X = 0x3c;
    private static final int ALU_LSH_K = 0x64;
    private static final int ALU_MOD_K = 0x94;
    private static final int ALU_XOR_K = 0xa4;
    private static final int ALU_NEG = 0x84;
    private static final int JA = 0x05;
    private static final int JEQ_K = 0x15;
    private static final int JGT_K = 0x25;
    private static final int JSET_K = 0x45;
    private static final int RET_K = 0x06;
    private static final int RET_A = 0x16;
    private static final int TAX = 0x07;
    private static final int TXA = 0x87;

    /** An IPv4/TCP Ethernet frame from 10.0.0.1:40000 to 10.0.0.2:80, SYN, 60 bytes captured of 74. */
    private static final byte[] FRAME = frame();

    private static byte[] frame() {
        ByteBuffer b = ByteBuffer.allocate(60);
        b.putLong(0x0200_0000_0002_0200L).putInt(0x0000_0001).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) 60).putInt(0).put((byte) 64).put((byte) 6).putShort((short) 0)
                .putInt(0x0A00_0001).putInt(0x0A00_0002);
        b.putShort((short) 40000).putShort((short) 80).putInt(1000).putInt(0).put((byte) 0x50).put((byte) 0x02)
                .putShort((short) 65535).putInt(0);
        return b.array();
    }

    private static int run(int[]... program) {
        short[] codes = new short[program.length];
        byte[] jt = new byte[program.length];
        byte[] jf = new byte[program.length];
        int[] k = new int[program.length];
        for (int i = 0; i < program.length; i++) {
            codes[i] = (short) program[i][0];
            jt[i] = (byte) program[i][1];
            jf[i] = (byte) program[i][2];
            k[i] = program[i][3];
        }
        return new BpfProgram("test", codes, jt, jf, k).run(ByteBuffer.wrap(FRAME), 0, FRAME.length, 74);
    }

    private static int[] op(int code, int k) {
        return new int[] {code, 0, 0, k};
    }

    private static int[] jump(int code, int jt, int jf, int k) {
        return new int[] {code, jt, jf, k};
    }

    @Test
    void loadsBytesHalfwordsAndWordsInNetworkOrder() {
        assertThat(run(op(LD_H_ABS, 12), op(RET_A, 0))).isEqualTo(0x0800);
        assertThat(run(op(LD_B_ABS, 23), op(RET_A, 0))).isEqualTo(6);
        assertThat(run(op(LD_W_ABS, 26), op(RET_A, 0))).isEqualTo(0x0A00_0001);
        assertThat(run(op(LD_LEN, 0), op(RET_A, 0))).as("the wire length, not the captured one").isEqualTo(74);
    }

    @Test
    void indexesThroughTheIpHeaderLengthAsTcpdumpDoes() {
        // ldxb 4*([14]&0xf); ldh [x + 14 + 2]: the TCP destination port
        assertThat(run(op(LDX_MSH, 14), op(0x48, 16), op(RET_A, 0))).isEqualTo(80);
        assertThat(run(op(LDX_IMM, 47), op(LD_B_IND, 0), op(RET_A, 0))).as("TCP flags byte").isEqualTo(0x02);
    }

    @Test
    void jumpsOnEqualGreaterAndBitsAndAlways() {
        // port 80 ? 1 : 0
        assertThat(run(op(LD_H_ABS, 36), jump(JEQ_K, 0, 1, 80), op(RET_K, 1), op(RET_K, 0))).isEqualTo(1);
        assertThat(run(op(LD_H_ABS, 36), jump(JEQ_K, 0, 1, 81), op(RET_K, 1), op(RET_K, 0))).isZero();
        assertThat(run(op(LD_H_ABS, 34), jump(JGT_K, 0, 1, 39_999), op(RET_K, 7), op(RET_K, 0))).isEqualTo(7);
        assertThat(run(op(LD_B_ABS, 47), jump(JSET_K, 1, 0, 0x02), op(RET_K, 0), op(RET_K, 9))).isEqualTo(9);
        assertThat(run(op(JA, 1), op(RET_K, 1), op(RET_K, 2))).isEqualTo(2);
    }

    @Test
    void comparesUnsigned() {
        // 0xFFFFFFFF > 1 unsigned
        assertThat(run(op(LD_IMM, -1), jump(JGT_K, 0, 1, 1), op(RET_K, 1), op(RET_K, 0))).isEqualTo(1);
    }

    @Test
    void doesArithmeticScratchMemoryAndRegisterMoves() {
        assertThat(run(op(LD_IMM, 5), op(ALU_ADD_K, 3), op(ALU_LSH_K, 2), op(ALU_XOR_K, 1), op(RET_A, 0)))
                .isEqualTo(33);
        assertThat(run(op(LD_IMM, 17), op(ALU_MOD_K, 5), op(ALU_AND_K, 3), op(RET_A, 0))).isEqualTo(2);
        assertThat(run(op(LD_IMM, 4), op(ALU_NEG, 0), op(RET_A, 0))).isEqualTo(-4);
        assertThat(run(op(LD_IMM, 42), op(ST, 3), op(LD_IMM, 0), op(LD_MEM, 3), op(RET_A, 0))).isEqualTo(42);
        assertThat(run(op(LD_IMM, 12), op(TAX, 0), op(LD_IMM, 0), op(TXA, 0), op(RET_A, 0))).isEqualTo(12);
        assertThat(run(op(LDX_IMM, 4), op(LD_IMM, 20), op(ALU_DIV_X, 0), op(RET_A, 0))).isEqualTo(5);
    }

    @Test
    void rejectsLoadsPastTheCapturedBytesDivisionByZeroAndFallingOffTheEnd() {
        assertThat(run(op(LD_B_ABS, 60), op(RET_K, 1))).isZero();
        assertThat(run(op(LD_W_ABS, 57), op(RET_K, 1))).isZero();
        assertThat(run(op(LD_H_ABS, 59), op(RET_K, 1))).isZero();
        assertThat(run(op(LDX_IMM, 0), op(LD_IMM, 1), op(ALU_DIV_X, 0), op(RET_K, 1))).isZero();
        assertThat(run(op(LD_IMM, 1))).isZero();
        assertThat(run(op(LD_B_ABS, 59), op(RET_K, 1))).as("the last captured byte is fine").isEqualTo(1);
    }
}
