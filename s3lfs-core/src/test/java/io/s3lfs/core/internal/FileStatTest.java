package io.s3lfs.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStatTest {
  @TempDir
  Path dir;

  @Test
  void of_linux_callsStatxDirectly() {
    assumeTrue(System.getProperty("os.name").startsWith("Linux"));
    assertThat(FileStat.nativeCalls()).isTrue();
  }

  @Test
  void of_regularFile_agreesWithTheJdk() throws Exception {
    Path f = Files.writeString(dir.resolve("ä ü.bin"), "twelve bytes");
    Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2024-02-29T12:34:56.123456789Z")));
    FileStat s = FileStat.of(f);
    assertThat(s).isEqualTo(FileStat.jdk(f));
    assertThat(s.size()).isEqualTo(12);
    assertThat(s.inode()).isNotZero();
    assertThat(Instant.EPOCH.plusNanos(s.mtimeNanos())).isEqualTo(Files.getLastModifiedTime(f).toInstant());
  }

  @Test
  void of_directoryAndSymlink_agreeWithTheJdk() throws Exception {
    Path d = Files.createDirectory(dir.resolve("d"));
    Path target = Files.writeString(dir.resolve("t"), "x");
    Path link = Files.createSymbolicLink(dir.resolve("l"), target);
    assertThat(FileStat.of(d)).isEqualTo(FileStat.jdk(d));
    assertThat(FileStat.of(link)).isEqualTo(FileStat.of(target)); // followed, as stat(2) does
  }

  @Test
  void of_rewrittenFile_differs() throws Exception {
    Path f = Files.writeString(dir.resolve("a"), "aaaa");
    FileStat before = FileStat.of(f);
    Path g = Files.writeString(dir.resolve("b"), "aaaa");
    Files.setLastModifiedTime(g, Files.getLastModifiedTime(f));
    Files.move(g, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING); // same size and mtime, new inode
    assertThat(FileStat.of(f)).isNotEqualTo(before);
    assertThat(FileStat.of(f).size()).isEqualTo(before.size());
  }

  @Test
  void of_missingFile_throwsNoSuchFile() {
    assertThatThrownBy(() -> FileStat.of(dir.resolve("nope"))).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void at_nameRelativeToAnOpenDirectory_sameAsOfThePathOrNullWhenMissing() throws Exception {
    assumeTrue(FileStat.nativeCalls());
    Path f = Files.writeString(Files.createDirectories(dir.resolve("sub")).resolve("\u00e9t\u00e9.bin"), "some bytes");
    int fd = FileStat.openDirectory(dir);
    assertThat(fd).isNotNegative();
    try {
      byte[] name = "[sub/\u00e9t\u00e9.bin]".getBytes(StandardCharsets.UTF_8); // the name within a larger array
      assertThat(FileStat.at(fd, name, 1, name.length - 2)).isEqualTo(FileStat.of(f));
      byte[] absolute = f.toString().getBytes(StandardCharsets.UTF_8); // taken as it is, as Path.resolve does
      assertThat(FileStat.at(fd, absolute, 0, absolute.length)).isEqualTo(FileStat.of(f));
      byte[] missing = "sub/nope".getBytes(StandardCharsets.UTF_8);
      assertThat(FileStat.at(fd, missing, 0, missing.length)).isNull();
    } finally {
      FileStat.close(fd);
    }
    assertThat(FileStat.openDirectory(dir.resolve("nope"))).isEqualTo(-1);
  }

  @Test
  void makedev_majorAndMinor_matchGlibc() {
    assertThat(FileStat.makedev(8, 1)).isEqualTo(0x801);
    // expected values from Python's os.makedev, which is glibc's
    assertThat(FileStat.makedev(259, 0x1234)).isEqualTo(0x1210334L);
    assertThat(FileStat.makedev(0x12345, 0x6789AB)).isEqualTo(0x12006789345abL);
  }
}
