package dev.tcpstate.capture;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * Compiles a filter expression with libpcap's own compiler ({@code pcap_compile} on a dead
 * handle of the capture's link type), so that a filter means on a file exactly what it means to
 * tcpdump; the instructions are then run in Java ({@link BpfProgram}). libpcap is loaded only
 * when a filter is asked for: reading files needs no native code otherwise.
 */
public final class BpfCompiler {
    /** {@code PCAP_NETMASK_UNKNOWN}: "ip broadcast" cannot be compiled without it, as with tcpdump -r. */
    private static final int NETMASK_UNKNOWN = 0xffffffff;
    private static final int SNAPLEN = 262_144;
    /** LINKTYPE_RAW in files is DLT_RAW (12 on Linux) to libpcap's compiler. */
    private static final int LINKTYPE_RAW = 101;
    private static final int DLT_RAW = 12;

    private BpfCompiler() {
    }

    /** The part of libpcap this needs. */
    public interface LibPcap extends Library {
        Pointer pcap_open_dead(int linktype, int snaplen);

        int pcap_compile(Pointer pcap, BpfProgramStruct program, String expression, int optimize, int netmask);

        void pcap_freecode(BpfProgramStruct program);

        String pcap_geterr(Pointer pcap);

        void pcap_close(Pointer pcap);
    }

    /** {@code struct bpf_program}: the instruction count and a pointer to them. */
    @Structure.FieldOrder({"bf_len", "bf_insns"})
    public static final class BpfProgramStruct extends Structure {
        public int bf_len;
        public Pointer bf_insns;
    }

    private static LibPcap library;

    private static synchronized LibPcap library() throws CaptureUnavailableException {
        if (library == null) {
            try {
                library = Native.load(System.getProperty("org.pcap4j.core.pcapLibName", "pcap"), LibPcap.class);
            } catch (UnsatisfiedLinkError e) {
                throw new CaptureUnavailableException("a capture filter needs libpcap, which is not installed "
                        + "(Debian/Ubuntu: apt-get install libpcap0.8): " + e.getMessage());
            }
        }
        return library;
    }

    /**
     * Compiles {@code expression} for frames of pcap link type {@code linkType}.
     *
     * @throws IllegalArgumentException with libpcap's message when the expression does not compile
     * @throws CaptureUnavailableException when libpcap is not installed
     */
    public static BpfProgram compile(String expression, int linkType) throws CaptureUnavailableException {
        LibPcap pcap = library();
        Pointer handle = pcap.pcap_open_dead(linkType == LINKTYPE_RAW ? DLT_RAW : linkType, SNAPLEN);
        if (handle == null) {
            throw new IllegalArgumentException("libpcap knows no link type " + linkType);
        }
        try {
            BpfProgramStruct program = new BpfProgramStruct();
            if (pcap.pcap_compile(handle, program, expression, 1, NETMASK_UNKNOWN) != 0) {
                throw new IllegalArgumentException("filter '" + expression + "': " + pcap.pcap_geterr(handle)
                        + " (for link type " + LinkType.describe(linkType) + ")");
            }
            try {
                program.read();
                int count = program.bf_len;
                short[] codes = new short[count];
                byte[] jumpsTrue = new byte[count];
                byte[] jumpsFalse = new byte[count];
                int[] constants = new int[count];
                for (int i = 0; i < count; i++) {
                    long at = 8L * i; // struct bpf_insn: u_short code; u_char jt, jf; bpf_u_int32 k
                    codes[i] = program.bf_insns.getShort(at);
                    jumpsTrue[i] = program.bf_insns.getByte(at + 2);
                    jumpsFalse[i] = program.bf_insns.getByte(at + 3);
                    constants[i] = program.bf_insns.getInt(at + 4);
                }
                return new BpfProgram(expression, codes, jumpsTrue, jumpsFalse, constants);
            } finally {
                pcap.pcap_freecode(program);
            }
        } finally {
            pcap.pcap_close(handle);
        }
    }
}
