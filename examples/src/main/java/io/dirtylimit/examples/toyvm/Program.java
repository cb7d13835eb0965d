package io.dirtylimit.examples.toyvm;

/** An assembled guest program: code words and their immediates, in parallel arrays. */
final class Program {
    final int[] code;
    final long[] immediates;

    Program(int[] code, long[] immediates) {
        if (code.length != immediates.length || code.length == 0) {
            throw new IllegalArgumentException("a program needs at least one instruction");
        }
        this.code = code;
        this.immediates = immediates;
    }

    int length() {
        return code.length;
    }

    /** One instruction in assembler syntax, for fault messages and debugging. */
    String disassemble(int pc) {
        if (pc < 0 || pc >= code.length) {
            return "<outside program>";
        }
        int w = code[pc];
        long imm = immediates[pc];
        int op = Op.opcode(w);
        String rd = "r" + Op.rd(w);
        String ra = "r" + Op.ra(w);
        String b = Op.hasImmediate(w) ? Long.toString(imm) : "r" + Op.rb(w);
        switch (op) {
            case Op.NOP: case Op.HALT: return Op.name(op);
            case Op.LOADI: return "loadi " + rd + ", " + imm;
            case Op.MOV: return "mov " + rd + ", " + ra;
            case Op.LOAD: return "load " + rd + ", [" + ra + " + " + imm + "]";
            case Op.STORE: return "store [" + ra + " + " + imm + "], r" + Op.rb(w);
            case Op.BEQ: case Op.BNE: case Op.BLT: case Op.BGE:
                return Op.name(op) + " " + ra + ", r" + Op.rb(w) + ", " + imm;
            case Op.JMP: return "jmp " + imm;
            case Op.CLOCK: return "clock " + rd;
            case Op.PAUSE: return "pause " + ra;
            case Op.OUT: return "out " + imm + ", " + ra;
            default: return Op.name(op) + " " + rd + ", " + ra + ", " + b;
        }
    }
}
