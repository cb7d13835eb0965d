package io.dirtylimit.examples.toyvm;

/**
 * One vCPU's processor core: registers, program counter, and the interpreter that runs a
 * slice of guest code. Owned by the vCPU thread; not thread-safe.
 */
final class Interpreter {
    private final Program program;
    private final GuestBus bus;
    private final long[] registers = new long[Op.REGISTERS];
    private int pc;
    private int sliceInstructions;
    private long pauseNanos;
    private int ioPort;
    private long ioValue;
    private String faultMessage = "";

    Interpreter(Program program, GuestBus bus) {
        this.program = program;
        this.bus = bus;
    }

    /**
     * Runs at most {@code budget} instructions and says why it stopped. PAUSE, OUT and STORE
     * (on ring-full) exit after completing; HALT and a faulting instruction leave pc on
     * themselves.
     */
    ExitReason runSlice(int budget) {
        final int[] code = program.code;
        final long[] imms = program.immediates;
        final long[] r = registers;
        int pc = this.pc;
        int executed = 0;
        try {
            while (executed < budget) {
                executed++;
                if (pc < 0 || pc >= code.length) {
                    throw new GuestFault("pc " + pc + " is outside the program (0.." + (code.length - 1) + ")");
                }
                final int w = code[pc];
                final long imm = imms[pc];
                switch (w & 0xff) {
                    case Op.NOP: pc++; break;
                    case Op.HALT: return ExitReason.HALT;
                    case Op.LOADI: r[Op.rd(w)] = imm; pc++; break;
                    case Op.MOV: r[Op.rd(w)] = r[Op.ra(w)]; pc++; break;
                    case Op.LOAD: r[Op.rd(w)] = bus.load(r[Op.ra(w)] + imm); pc++; break;
                    case Op.STORE: {
                        boolean ringFull = bus.store(r[Op.ra(w)] + imm, r[Op.rb(w)]);
                        pc++;
                        if (ringFull) {
                            return ExitReason.RING_FULL;
                        }
                        break;
                    }
                    case Op.ADD: r[Op.rd(w)] = r[Op.ra(w)] + operandB(w, r, imm); pc++; break;
                    case Op.SUB: r[Op.rd(w)] = r[Op.ra(w)] - operandB(w, r, imm); pc++; break;
                    case Op.MUL: r[Op.rd(w)] = r[Op.ra(w)] * operandB(w, r, imm); pc++; break;
                    case Op.DIVU: r[Op.rd(w)] = Long.divideUnsigned(r[Op.ra(w)], divisor(w, r, imm)); pc++; break;
                    case Op.REMU: r[Op.rd(w)] = Long.remainderUnsigned(r[Op.ra(w)], divisor(w, r, imm)); pc++; break;
                    case Op.AND: r[Op.rd(w)] = r[Op.ra(w)] & operandB(w, r, imm); pc++; break;
                    case Op.OR: r[Op.rd(w)] = r[Op.ra(w)] | operandB(w, r, imm); pc++; break;
                    case Op.XOR: r[Op.rd(w)] = r[Op.ra(w)] ^ operandB(w, r, imm); pc++; break;
                    case Op.SHL: r[Op.rd(w)] = r[Op.ra(w)] << operandB(w, r, imm); pc++; break;
                    case Op.SHR: r[Op.rd(w)] = r[Op.ra(w)] >>> operandB(w, r, imm); pc++; break;
                    case Op.BEQ: pc = r[Op.ra(w)] == r[Op.rb(w)] ? (int) imm : pc + 1; break;
                    case Op.BNE: pc = r[Op.ra(w)] != r[Op.rb(w)] ? (int) imm : pc + 1; break;
                    case Op.BLT: pc = r[Op.ra(w)] < r[Op.rb(w)] ? (int) imm : pc + 1; break;
                    case Op.BGE: pc = r[Op.ra(w)] >= r[Op.rb(w)] ? (int) imm : pc + 1; break;
                    case Op.JMP: pc = (int) imm; break;
                    case Op.CLOCK: r[Op.rd(w)] = bus.clockNanos(); pc++; break;
                    case Op.PAUSE: {
                        pc++;
                        long nanos = r[Op.ra(w)];
                        if (nanos > 0) {
                            pauseNanos = nanos;
                            return ExitReason.IDLE;
                        }
                        break;
                    }
                    case Op.OUT: {
                        pc++;
                        ioPort = (int) imm;
                        ioValue = r[Op.ra(w)];
                        return ExitReason.IO;
                    }
                    default:
                        throw new GuestFault("illegal instruction word 0x" + Integer.toHexString(w));
                }
            }
            return ExitReason.SLICE_END;
        } catch (GuestFault fault) {
            executed--;
            faultMessage = fault.getMessage() + " at pc " + pc + " (" + program.disassemble(pc) + ")";
            return ExitReason.FAULT;
        } finally {
            this.pc = pc;
            this.sliceInstructions = executed;
        }
    }

    /** Instructions completed by the last slice. */
    int sliceInstructions() {
        return sliceInstructions;
    }

    /** The PAUSE duration requested by the last IDLE exit. */
    long pauseNanos() {
        return pauseNanos;
    }

    /** The port written by the last IO exit. */
    int ioPort() {
        return ioPort;
    }

    /** The value written by the last IO exit. */
    long ioValue() {
        return ioValue;
    }

    String faultMessage() {
        return faultMessage;
    }

    int pc() {
        return pc;
    }

    long register(int index) {
        return registers[index];
    }

    void setRegister(int index, long value) {
        registers[index] = value;
    }

    private static long operandB(int w, long[] r, long imm) {
        return Op.hasImmediate(w) ? imm : r[Op.rb(w)];
    }

    private static long divisor(int w, long[] r, long imm) {
        long d = operandB(w, r, imm);
        if (d == 0) {
            throw new GuestFault("division by zero");
        }
        return d;
    }
}
