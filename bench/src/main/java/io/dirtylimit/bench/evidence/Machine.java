package io.dirtylimit.bench.evidence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** The machine and JDK the figures were made on. */
record Machine(int cpus, String cpuModel, String javaVersion, String javaVendor, String vm, String os, String date,
        String load) {

    static Machine describe() {
        return new Machine(Runtime.getRuntime().availableProcessors(), readCpuModel(), System.getProperty("java.version"),
                System.getProperty("java.vendor"), System.getProperty("java.vm.name"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME), firstLine(Path.of("/proc/loadavg")));
    }

    private static String readCpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String firstLine(Path p) {
        try {
            return Files.readAllLines(p).get(0).strip();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    String text() {
        return String.join("\n",
                "cpus (nproc): " + cpus,
                "cpu model: " + cpuModel,
                "java.version: " + javaVersion + " (" + javaVendor + ", " + vm + ")",
                "os: " + os,
                "date: " + date,
                "load average at start: " + load, "");
    }
}
