package io.dirtylimit.examples.toyvm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds a {@link Program}: one method per instruction, named labels, forward references. */
final class Assembler {
    private int[] code = new int[64];
    private long[] immediates = new long[64];
    private int length;
    private final Map<String, Integer> labels = new HashMap<>();
    private final List<Fixup> fixups = new ArrayList<>();

    private record Fixup(int pc, String label) {}

    Assembler label(String name) {
        if (labels.putIfAbsent(name, length) != null) {
            throw new IllegalArgumentException("duplicate label: " + name);
        }
        return this;
    }

    Assembler nop() { return emit(Op.NOP, 0, 0, 0, false, 0); }
    Assembler halt() { return emit(Op.HALT, 0, 0, 0, false, 0); }
    Assembler loadi(int rd, long imm) { return emit(Op.LOADI, rd, 0, 0, false, imm); }
    Assembler mov(int rd, int ra) { return emit(Op.MOV, rd, ra, 0, false, 0); }
    Assembler load(int rd, int ra, long offset) { return emit(Op.LOAD, rd, ra, 0, false, offset); }
    Assembler store(int ra, long offset, int rb) { return emit(Op.STORE, 0, ra, rb, false, offset); }
    Assembler clock(int rd) { return emit(Op.CLOCK, rd, 0, 0, false, 0); }
    Assembler pause(int ra) { return emit(Op.PAUSE, 0, ra, 0, false, 0); }
    Assembler out(long port, int ra) { return emit(Op.OUT, 0, ra, 0, false, port); }

    Assembler add(int rd, int ra, int rb) { return alu(Op.ADD, rd, ra, rb); }
    Assembler sub(int rd, int ra, int rb) { return alu(Op.SUB, rd, ra, rb); }
    Assembler mul(int rd, int ra, int rb) { return alu(Op.MUL, rd, ra, rb); }
    Assembler divu(int rd, int ra, int rb) { return alu(Op.DIVU, rd, ra, rb); }
    Assembler remu(int rd, int ra, int rb) { return alu(Op.REMU, rd, ra, rb); }
    Assembler and(int rd, int ra, int rb) { return alu(Op.AND, rd, ra, rb); }
    Assembler or(int rd, int ra, int rb) { return alu(Op.OR, rd, ra, rb); }
    Assembler xor(int rd, int ra, int rb) { return alu(Op.XOR, rd, ra, rb); }
    Assembler shl(int rd, int ra, int rb) { return alu(Op.SHL, rd, ra, rb); }
    Assembler shr(int rd, int ra, int rb) { return alu(Op.SHR, rd, ra, rb); }

    Assembler addi(int rd, int ra, long imm) { return aluImmediate(Op.ADD, rd, ra, imm); }
    Assembler subi(int rd, int ra, long imm) { return aluImmediate(Op.SUB, rd, ra, imm); }
    Assembler muli(int rd, int ra, long imm) { return aluImmediate(Op.MUL, rd, ra, imm); }
    Assembler divui(int rd, int ra, long imm) { return aluImmediate(Op.DIVU, rd, ra, imm); }
    Assembler remui(int rd, int ra, long imm) { return aluImmediate(Op.REMU, rd, ra, imm); }
    Assembler andi(int rd, int ra, long imm) { return aluImmediate(Op.AND, rd, ra, imm); }
    Assembler ori(int rd, int ra, long imm) { return aluImmediate(Op.OR, rd, ra, imm); }
    Assembler xori(int rd, int ra, long imm) { return aluImmediate(Op.XOR, rd, ra, imm); }
    Assembler shli(int rd, int ra, long imm) { return aluImmediate(Op.SHL, rd, ra, imm); }
    Assembler shri(int rd, int ra, long imm) { return aluImmediate(Op.SHR, rd, ra, imm); }

    Assembler beq(int ra, int rb, String target) { return branch(Op.BEQ, ra, rb, target); }
    Assembler bne(int ra, int rb, String target) { return branch(Op.BNE, ra, rb, target); }
    Assembler blt(int ra, int rb, String target) { return branch(Op.BLT, ra, rb, target); }
    Assembler bge(int ra, int rb, String target) { return branch(Op.BGE, ra, rb, target); }
    Assembler jmp(String target) { return branch(Op.JMP, 0, 0, target); }

    /** Resolves labels; fails on a reference to a label that was never defined. */
    Program assemble() {
        int[] resolvedCode = Arrays.copyOf(code, length);
        long[] resolvedImmediates = Arrays.copyOf(immediates, length);
        for (Fixup fixup : fixups) {
            Integer target = labels.get(fixup.label());
            if (target == null) {
                throw new IllegalArgumentException("undefined label: " + fixup.label());
            }
            resolvedImmediates[fixup.pc()] = target;
        }
        return new Program(resolvedCode, resolvedImmediates);
    }

    private Assembler alu(int op, int rd, int ra, int rb) {
        return emit(op, rd, ra, rb, false, 0);
    }

    private Assembler aluImmediate(int op, int rd, int ra, long imm) {
        return emit(op, rd, ra, 0, true, imm);
    }

    private Assembler branch(int op, int ra, int rb, String target) {
        fixups.add(new Fixup(length, target));
        return emit(op, 0, ra, rb, false, -1);
    }

    private Assembler emit(int op, int rd, int ra, int rb, boolean immediate, long imm) {
        checkRegister(rd);
        checkRegister(ra);
        checkRegister(rb);
        if (length == code.length) {
            code = Arrays.copyOf(code, length * 2);
            immediates = Arrays.copyOf(immediates, length * 2);
        }
        code[length] = Op.encode(op, rd, ra, rb, immediate);
        immediates[length] = imm;
        length++;
        return this;
    }

    private static void checkRegister(int r) {
        if (r < 0 || r >= Op.REGISTERS) {
            throw new IllegalArgumentException("no register r" + r + " (r0..r" + (Op.REGISTERS - 1) + ")");
        }
    }
}
