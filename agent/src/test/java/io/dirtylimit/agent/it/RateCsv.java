package io.dirtylimit.agent.it;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The emulators' own per-second CSV ({@code t_s,vcpu,dirty_mbps,...}): ground truth of each vCPU's
 * dirty rate, read from a child's stdout as it grows.
 */
final class RateCsv {
    /** One row: second, vCPU, MB/s. */
    record Row(int second, int vcpu, double mbps) {}

    private RateCsv() {}

    static List<Row> rows(List<String> lines) {
        List<Row> rows = new ArrayList<>();
        for (String line : List.copyOf(lines)) {
            String[] cells = line.split(",");
            if (cells.length < 3 || !cells[0].chars().allMatch(Character::isDigit) || cells[0].isEmpty()) {
                continue;
            }
            try {
                rows.add(new Row(Integer.parseInt(cells[0]), Integer.parseInt(cells[1].trim()), Double.parseDouble(cells[2])));
            } catch (NumberFormatException ignored) {
                // not a data row
            }
        }
        return rows;
    }

    /** The last second that has a row. */
    static int lastSecond(List<String> lines) {
        return rows(lines).stream().mapToInt(Row::second).max().orElse(0);
    }

    /** The mean rate of {@code vcpu} over the {@code n} latest complete seconds after {@code afterSecond}; empty if fewer. */
    static OptionalDouble mean(List<String> lines, int vcpu, int n, int afterSecond) {
        List<Row> mine = rows(lines).stream().filter(r -> r.vcpu() == vcpu && r.second() > afterSecond).toList();
        if (mine.size() < n) {
            return OptionalDouble.empty();
        }
        return mine.subList(mine.size() - n, mine.size()).stream().mapToDouble(Row::mbps).average();
    }

    /**
     * The median of {@code values} (the mean of the middle two for an even count): for the lower side of
     * a rate, which a few seconds of a machine busy with other work pull down without the limit at fault.
     */
    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /** The rates of {@code vcpu} in the last {@code n} rows, for messages. */
    static List<Double> last(List<String> lines, int vcpu, int n) {
        List<Double> mine = rows(lines).stream().filter(r -> r.vcpu() == vcpu).map(Row::mbps).toList();
        return mine.subList(Math.max(0, mine.size() - n), mine.size());
    }
}
