import java.io.IOException;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Rewrites the class files of a jar compiled for Java 5 (class file version 49) as version 52,
 * with the stack maps that version requires, changing nothing else; run at build time on
 * picocli's jar (java ClassVersionUpgrade.java JAR). Why: the JVM's ahead-of-time cache refuses
 * classes older than version 50 (they need the old verifier), so every command loaded and
 * verified picocli's ~170 classes from the jar, about a quarter of start-up. Needs JDK 24+ (the
 * ClassFile API). A class the API cannot give stack maps (old jsr/ret bytecode) fails the build.
 */
public class ClassVersionUpgrade {
  private static final int TARGET = ClassFile.JAVA_8_VERSION;
  private static final String NOTICE = "META-INF/MODIFIED-BY-S3LFS.txt";

  public static void main(String[] args) throws IOException {
    Path jar = Path.of(args[0]);
    Path out = jar.resolveSibling(jar.getFileName() + ".upgraded");
    int upgraded = 0;
    try (var in = new JarFile(jar.toFile());
        var loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
        OutputStream file = Files.newOutputStream(out);
        var zip = new JarOutputStream(file)) {
      var classFile = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
          ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
              .orElse(ClassHierarchyResolver.ofResourceParsing(loader))));
      for (JarEntry entry : (Iterable<JarEntry>) in.stream()::iterator) {
        String name = entry.getName();
        if (name.equals(NOTICE)) {
          continue; // upgraded before: written again below
        }
        byte[] bytes = in.getInputStream(entry).readAllBytes();
        if (name.endsWith(".class") && !name.startsWith("META-INF/") && !name.endsWith("module-info.class")) {
          var model = classFile.parse(bytes);
          if (model.majorVersion() < TARGET) {
            // Every method body re-emitted (not copied), so that stack maps are computed for it.
            bytes = classFile.transformClass(model, ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
                .andThen(ClassTransform.endHandler(b -> b.withVersion(TARGET, 0))));
            upgraded++;
          }
        }
        var copy = new JarEntry(name);
        copy.setTime(entry.getTime());
        zip.putNextEntry(copy);
        zip.write(bytes);
        zip.closeEntry();
      }
      // Apache License 2.0, section 4(b): modified files carry a notice that they were changed.
      zip.putNextEntry(new JarEntry(NOTICE));
      zip.write(("The class files of this jar were rewritten by s3lfs's build from class file version 49 to "
          + TARGET + ", with the stack maps that version requires (s3lfs-cli/src/build/ClassVersionUpgrade.java)."
          + " Nothing else was changed.\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    Files.move(out, jar, StandardCopyOption.REPLACE_EXISTING);
    if (upgraded == 0) { // silent otherwise: a new picocli built for Java 8+ would make this step moot
      System.err.println("ClassVersionUpgrade: no class of " + jar.getFileName() + " older than version " + TARGET);
    }
  }
}
