package io.dirtylimit.examples.toyvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AssemblerTest {

    @Test
    void encodesOperandsAndImmediates() {
        Program p = new Assembler().add(1, 2, 3).addi(4, 5, -7).store(6, 16, 7).assemble();
        assertThat(Op.opcode(p.code[0])).isEqualTo(Op.ADD);
        assertThat(Op.rd(p.code[0])).isEqualTo(1);
        assertThat(Op.ra(p.code[0])).isEqualTo(2);
        assertThat(Op.rb(p.code[0])).isEqualTo(3);
        assertThat(Op.hasImmediate(p.code[0])).isFalse();
        assertThat(Op.hasImmediate(p.code[1])).isTrue();
        assertThat(p.immediates[1]).isEqualTo(-7);
        assertThat(p.disassemble(2)).isEqualTo("store [r6 + 16], r7");
    }

    @Test
    void resolvesForwardAndBackwardLabels() {
        Program p = new Assembler()
                .label("top").nop()
                .jmp("end")
                .bne(1, 2, "top")
                .label("end").halt()
                .assemble();
        assertThat(p.immediates[1]).isEqualTo(3);
        assertThat(p.immediates[2]).isEqualTo(0);
        assertThat(p.disassemble(2)).isEqualTo("bne r1, r2, 0");
    }

    @Test
    void growsPastItsInitialCapacity() {
        Assembler a = new Assembler();
        for (int i = 0; i < 1000; i++) {
            a.addi(1, 1, 1);
        }
        Program p = a.halt().assemble();
        assertThat(p.length()).isEqualTo(1001);
        Interpreter cpu = new Interpreter(p, new FakeBus());
        assertThat(cpu.runSlice(2000)).isEqualTo(ExitReason.HALT);
        assertThat(cpu.register(1)).isEqualTo(1000);
    }

    @Test
    void rejectsUndefinedAndDuplicateLabels() {
        assertThatThrownBy(() -> new Assembler().jmp("nowhere").assemble())
                .hasMessageContaining("undefined label: nowhere");
        assertThatThrownBy(() -> new Assembler().label("x").nop().label("x"))
                .hasMessageContaining("duplicate label: x");
    }

    @Test
    void rejectsRegistersOutOfRange() {
        assertThatThrownBy(() -> new Assembler().loadi(16, 0)).hasMessageContaining("no register r16");
        assertThatThrownBy(() -> new Assembler().mov(1, -1)).hasMessageContaining("no register r-1");
    }

    @Test
    void rejectsAnEmptyProgram() {
        assertThatThrownBy(() -> new Assembler().assemble()).hasMessageContaining("at least one instruction");
    }
}
