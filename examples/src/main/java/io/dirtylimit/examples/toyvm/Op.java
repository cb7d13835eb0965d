package io.dirtylimit.examples.toyvm;

/**
 * The toy ISA: 16 64-bit registers r0..r15, one instruction per code word plus a 64-bit
 * immediate. Code word layout: bits 0-7 opcode, 8-11 rd, 12-15 ra, 16-19 rb, bit 20 set when
 * the ALU's second operand is the immediate instead of rb.
 *
 * <pre>
 * NOP                      no operation
 * HALT                     stop this vCPU until it is unplugged or the VM quits
 * LOADI rd, imm            rd = imm
 * MOV   rd, ra             rd = ra
 * LOAD  rd, [ra + imm]     rd = mem64[ra + imm]
 * STORE [ra + imm], rb     mem64[ra + imm] = rb
 * ADD SUB MUL DIVU REMU AND OR XOR SHL SHR  rd, ra, rb|imm   (DIVU/REMU unsigned, SHR logical)
 * BEQ BNE BLT BGE ra, rb, target            (BLT/BGE signed)
 * JMP   target
 * CLOCK rd                 rd = guest clock, nanoseconds
 * PAUSE ra                 idle for ra nanoseconds (no-op when ra &lt;= 0)
 * OUT   imm, ra            write ra to I/O port imm: exits to the emulator's device model
 * </pre>
 */
final class Op {
    static final int NOP = 0;
    static final int HALT = 1;
    static final int LOADI = 2;
    static final int MOV = 3;
    static final int LOAD = 4;
    static final int STORE = 5;
    static final int ADD = 6;
    static final int SUB = 7;
    static final int MUL = 8;
    static final int DIVU = 9;
    static final int REMU = 10;
    static final int AND = 11;
    static final int OR = 12;
    static final int XOR = 13;
    static final int SHL = 14;
    static final int SHR = 15;
    static final int BEQ = 16;
    static final int BNE = 17;
    static final int BLT = 18;
    static final int BGE = 19;
    static final int JMP = 20;
    static final int CLOCK = 21;
    static final int PAUSE = 22;
    static final int OUT = 23;

    static final int REGISTERS = 16;
    static final int IMMEDIATE_FLAG = 1 << 20;

    private static final String[] NAMES = {
        "nop", "halt", "loadi", "mov", "load", "store", "add", "sub", "mul", "divu", "remu",
        "and", "or", "xor", "shl", "shr", "beq", "bne", "blt", "bge", "jmp", "clock", "pause", "out",
    };

    private Op() {}

    static int encode(int op, int rd, int ra, int rb, boolean immediate) {
        return op | rd << 8 | ra << 12 | rb << 16 | (immediate ? IMMEDIATE_FLAG : 0);
    }

    static int opcode(int word) {
        return word & 0xff;
    }

    static int rd(int word) {
        return (word >>> 8) & 0xf;
    }

    static int ra(int word) {
        return (word >>> 12) & 0xf;
    }

    static int rb(int word) {
        return (word >>> 16) & 0xf;
    }

    static boolean hasImmediate(int word) {
        return (word & IMMEDIATE_FLAG) != 0;
    }

    static String name(int opcode) {
        return opcode >= 0 && opcode < NAMES.length ? NAMES[opcode] : "op" + opcode;
    }
}
