package io.s3lfs.core.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3lfs.api.StorageException;
import io.s3lfs.api.StorageException.Kind;
import io.s3lfs.api.StorageException.Operation;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StoreKeysTest {
  private final StoreKeys keys = new StoreKeys(Path.of("/srv/store"));

  @Test
  void failure_noSuchFile_isNotFoundNamingKeyAndRoot() {
    StorageException e = keys.failure(new NoSuchFileException("/srv/store/a"), Operation.READ, "a");

    assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
    assertThat(e.key()).isEqualTo("a");
    assertThat(e).hasMessage("no object 'a' in file store /srv/store");
  }

  @Test
  void failure_accessDenied_isAccessDeniedNamingOperationAndFile() {
    StorageException e = keys.failure(new AccessDeniedException("/srv/store/a"), Operation.WRITE, "a");

    assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED);
    assertThat(e).hasMessage("access denied (write) to 'a' in file store /srv/store: check the permissions of /srv/store/a");
  }

  @Test
  void failure_otherIoException_isOtherOnOneLine() {
    StorageException e = keys.failure(new IOException("disk\nfull"), Operation.WRITE, "a");

    assertThat(e.kind()).isEqualTo(Kind.OTHER);
    assertThat(e.getMessage()).doesNotContain("\n").contains("disk full").contains("'a'").contains("/srv/store");
    assertThat(e.getCause()).isInstanceOf(IOException.class);
  }

  @Test
  void keyOf_nestedPath_joinsWithSlashes() {
    assertThat(keys.keyOf(Path.of("/srv/store/p/assets/x y/\u00fc.gz"))).isEqualTo("p/assets/x y/\u00fc.gz");
  }
}
