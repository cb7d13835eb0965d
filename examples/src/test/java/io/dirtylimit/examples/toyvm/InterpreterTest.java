package io.dirtylimit.examples.toyvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class InterpreterTest {
    private final FakeBus bus = new FakeBus();

    /** Runs the program to its HALT and returns the core. */
    private Interpreter run(Consumer<Assembler> body) {
        Assembler a = new Assembler();
        body.accept(a);
        a.halt();
        Interpreter cpu = new Interpreter(a.assemble(), bus);
        assertThat(cpu.runSlice(1000)).isEqualTo(ExitReason.HALT);
        return cpu;
    }

    @Test
    void loadiAndMov() {
        Interpreter cpu = run(a -> a.loadi(1, -5).loadi(2, Long.MAX_VALUE).mov(3, 2));
        assertThat(cpu.register(1)).isEqualTo(-5);
        assertThat(cpu.register(3)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void arithmeticWithRegisters() {
        Interpreter cpu = run(a -> a.loadi(1, 7).loadi(2, 3)
                .add(3, 1, 2).sub(4, 1, 2).mul(5, 1, 2).divu(6, 1, 2).remu(7, 1, 2));
        assertThat(cpu.register(3)).isEqualTo(10);
        assertThat(cpu.register(4)).isEqualTo(4);
        assertThat(cpu.register(5)).isEqualTo(21);
        assertThat(cpu.register(6)).isEqualTo(2);
        assertThat(cpu.register(7)).isEqualTo(1);
    }

    @Test
    void divisionIsUnsigned() {
        Interpreter cpu = run(a -> a.loadi(1, -1).divui(2, 1, 2).remui(3, 1, 10));
        assertThat(cpu.register(2)).isEqualTo(Long.divideUnsigned(-1, 2));
        assertThat(cpu.register(3)).isEqualTo(Long.remainderUnsigned(-1, 10));
    }

    @Test
    void bitwiseAndShifts() {
        Interpreter cpu = run(a -> a.loadi(1, 0b1100).loadi(2, 0b1010)
                .and(3, 1, 2).or(4, 1, 2).xor(5, 1, 2)
                .loadi(6, -8).shri(7, 6, 60).shli(8, 1, 2).loadi(9, 1).shl(10, 1, 9).shr(11, 1, 9));
        assertThat(cpu.register(3)).isEqualTo(0b1000);
        assertThat(cpu.register(4)).isEqualTo(0b1110);
        assertThat(cpu.register(5)).isEqualTo(0b0110);
        assertThat(cpu.register(7)).as("logical shift right").isEqualTo(0xf);
        assertThat(cpu.register(8)).isEqualTo(0b110000);
        assertThat(cpu.register(10)).isEqualTo(0b11000);
        assertThat(cpu.register(11)).isEqualTo(0b110);
    }

    @Test
    void immediateForms() {
        Interpreter cpu = run(a -> a.loadi(1, 10).addi(2, 1, -3).subi(3, 1, 4).muli(4, 1, 5)
                .andi(5, 1, 2).ori(6, 1, 1).xori(7, 1, 15));
        assertThat(cpu.register(2)).isEqualTo(7);
        assertThat(cpu.register(3)).isEqualTo(6);
        assertThat(cpu.register(4)).isEqualTo(50);
        assertThat(cpu.register(5)).isEqualTo(2);
        assertThat(cpu.register(6)).isEqualTo(11);
        assertThat(cpu.register(7)).isEqualTo(5);
    }

    @Test
    void loadAndStoreUseBaseRegisterPlusOffset() {
        bus.memory.put(0x108L, 42L);
        Interpreter cpu = run(a -> a.loadi(1, 0x100).load(2, 1, 8).addi(2, 2, 1).store(1, 16, 2));
        assertThat(cpu.register(2)).isEqualTo(43);
        assertThat(bus.memory).containsEntry(0x110L, 43L);
        assertThat(bus.storeAddresses).containsExactly(0x110L);
    }

    @Test
    void branchesTakenAndNotTaken() {
        // r9 collects one bit per branch that was taken
        Interpreter cpu = run(a -> a.loadi(1, 1).loadi(2, 2).loadi(3, -1)
                .beq(1, 1, "beq_taken").jmp("after_beq").label("beq_taken").ori(9, 9, 1).label("after_beq")
                .beq(1, 2, "beq_wrong").jmp("after_beq2").label("beq_wrong").ori(9, 9, 2).label("after_beq2")
                .bne(1, 2, "bne_taken").jmp("after_bne").label("bne_taken").ori(9, 9, 4).label("after_bne")
                .bne(1, 1, "bne_wrong").jmp("after_bne2").label("bne_wrong").ori(9, 9, 8).label("after_bne2")
                .blt(3, 1, "blt_signed").jmp("after_blt").label("blt_signed").ori(9, 9, 16).label("after_blt")
                .blt(2, 1, "blt_wrong").jmp("after_blt2").label("blt_wrong").ori(9, 9, 32).label("after_blt2")
                .bge(2, 2, "bge_equal").jmp("after_bge").label("bge_equal").ori(9, 9, 64).label("after_bge")
                .bge(3, 1, "bge_wrong").jmp("after_bge2").label("bge_wrong").ori(9, 9, 128).label("after_bge2"));
        assertThat(cpu.register(9)).isEqualTo(1 | 4 | 16 | 64);
    }

    @Test
    void loopCountsDown() {
        Interpreter cpu = run(a -> a.loadi(1, 5).label("loop").addi(2, 2, 3).subi(1, 1, 1).bne(1, 0, "loop"));
        assertThat(cpu.register(2)).isEqualTo(15);
    }

    @Test
    void clockReadsTheGuestClock() {
        bus.clockNanos = 123_456;
        assertThat(run(a -> a.clock(4)).register(4)).isEqualTo(123_456);
    }

    @Test
    void pauseExitsWithItsDurationAndResumesAfterIt() {
        Interpreter cpu = new Interpreter(new Assembler().loadi(1, 5000).pause(1).loadi(2, 9).halt().assemble(), bus);
        assertThat(cpu.runSlice(100)).isEqualTo(ExitReason.IDLE);
        assertThat(cpu.pauseNanos()).isEqualTo(5000);
        assertThat(cpu.sliceInstructions()).isEqualTo(2);
        assertThat(cpu.runSlice(100)).isEqualTo(ExitReason.HALT);
        assertThat(cpu.register(2)).isEqualTo(9);
    }

    @Test
    void pauseOfZeroOrLessIsANop() {
        Interpreter cpu = new Interpreter(new Assembler().loadi(1, -1).pause(1).pause(0).halt().assemble(), bus);
        assertThat(cpu.runSlice(100)).isEqualTo(ExitReason.HALT);
    }

    @Test
    void haltStaysOnHalt() {
        Interpreter cpu = new Interpreter(new Assembler().nop().halt().assemble(), bus);
        assertThat(cpu.runSlice(100)).isEqualTo(ExitReason.HALT);
        assertThat(cpu.pc()).isEqualTo(1);
        assertThat(cpu.runSlice(100)).isEqualTo(ExitReason.HALT);
    }

    @Test
    void sliceEndsAfterItsBudgetAndResumesWhereItStopped() {
        Interpreter cpu = new Interpreter(new Assembler().label("loop").addi(1, 1, 1).jmp("loop").assemble(), bus);
        assertThat(cpu.runSlice(11)).isEqualTo(ExitReason.SLICE_END);
        assertThat(cpu.sliceInstructions()).isEqualTo(11);
        assertThat(cpu.register(1)).isEqualTo(6);
        assertThat(cpu.runSlice(1)).isEqualTo(ExitReason.SLICE_END);
        assertThat(cpu.register(1)).as("continues with the jmp, then the add").isEqualTo(6);
        cpu.runSlice(1);
        assertThat(cpu.register(1)).isEqualTo(7);
    }

    @Test
    void storeThatFillsTheRingExitsAfterTheStore() {
        bus.ringFullAtStore = 2;
        Interpreter cpu = new Interpreter(new Assembler()
                .label("loop").store(0, 0, 1).addi(1, 1, 1).jmp("loop").assemble(), bus);
        assertThat(cpu.runSlice(1000)).isEqualTo(ExitReason.RING_FULL);
        assertThat(bus.storeAddresses).hasSize(2);
        assertThat(cpu.pc()).as("after the store").isEqualTo(1);
        assertThat(cpu.sliceInstructions()).isEqualTo(4);
    }

    @Test
    void badAddressFaultsOnTheFaultingInstruction() {
        GuestMemory memory = new GuestMemory(4096);
        GuestBus memoryBus = new GuestBus() {
            public long load(long address) { return memory.read64(address); }
            public boolean store(long address, long value) { memory.write64(address, value); return false; }
            public long clockNanos() { return 0; }
        };
        Interpreter unaligned = new Interpreter(new Assembler().loadi(1, 4).store(1, 0, 1).halt().assemble(), memoryBus);
        assertThat(unaligned.runSlice(10)).isEqualTo(ExitReason.FAULT);
        assertThat(unaligned.pc()).isEqualTo(1);
        assertThat(unaligned.sliceInstructions()).isEqualTo(1);
        assertThat(unaligned.faultMessage()).contains("bad guest address 0x4").contains("pc 1").contains("store [r1 + 0], r1");

        Interpreter outside = new Interpreter(new Assembler().loadi(1, 4096).load(2, 1, 0).halt().assemble(), memoryBus);
        assertThat(outside.runSlice(10)).isEqualTo(ExitReason.FAULT);
        assertThat(outside.faultMessage()).contains("0x1000");
    }

    @Test
    void divisionByZeroFaults() {
        Interpreter cpu = new Interpreter(new Assembler().loadi(1, 1).divu(2, 1, 0).halt().assemble(), bus);
        assertThat(cpu.runSlice(10)).isEqualTo(ExitReason.FAULT);
        assertThat(cpu.faultMessage()).contains("division by zero");
    }

    @Test
    void runningOffTheProgramFaults() {
        Interpreter cpu = new Interpreter(new Assembler().nop().assemble(), bus);
        assertThat(cpu.runSlice(10)).isEqualTo(ExitReason.FAULT);
        assertThat(cpu.faultMessage()).contains("outside the program");
    }

    @Test
    void illegalInstructionFaults() {
        Interpreter cpu = new Interpreter(new Program(new int[] {0xfe}, new long[1]), bus);
        assertThat(cpu.runSlice(10)).isEqualTo(ExitReason.FAULT);
        assertThat(cpu.faultMessage()).contains("illegal instruction");
    }

    @Test
    void outExitsWithItsPortAndValueAndResumesAfterIt() {
        Program program = new Assembler().loadi(3, 12345).out(0xd0, 3).loadi(4, 1).halt().assemble();
        Interpreter cpu = new Interpreter(program, bus);
        assertThat(cpu.runSlice(100)).isEqualTo(ExitReason.IO);
        assertThat(cpu.ioPort()).isEqualTo(0xd0);
        assertThat(cpu.ioValue()).isEqualTo(12345);
        assertThat(cpu.sliceInstructions()).isEqualTo(2);
        assertThat(program.disassemble(1)).isEqualTo("out 208, r3");
        assertThat(cpu.runSlice(100)).isEqualTo(ExitReason.HALT);
        assertThat(cpu.register(4)).isEqualTo(1);
    }
}
