package io.s3lfs.s3.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A loopback HTTP/1.1 proxy in front of an S3 server that records every request line and its
 * headers and, by a policy, answers some requests itself with an S3 error or drops the
 * connection. Requests are forwarded byte for byte (the Host header too), so V4 signatures stay
 * valid. Lets tests observe what a client really sends (S3Proxy echoes SSE on HEAD regardless)
 * and inject faults without mocking the client.
 */
public final class FaultProxy implements AutoCloseable {
  /** What to do with one request. */
  public enum Fault {
    NONE(0, null, null),
    SLOW_DOWN(503, "SlowDown", "Please reduce your request rate."),
    INTERNAL_ERROR(500, "InternalError", "We encountered an internal error. Please try again."),
    NOT_IMPLEMENTED(501, "NotImplemented", "A header you provided implies functionality that is not implemented"),
    /** Close the connection with a reset, without answering. */
    DROP(0, null, null),
    /** Forward the request, then reset the connection after {@link #CUT_AFTER} bytes of the answer. */
    CUT(0, null, null);

    final int status;
    final String code;
    final String message;

    Fault(int status, String code, String message) {
      this.status = status;
      this.code = code;
      this.message = message;
    }
  }

  /**
   * One request as the client sent it.
   *
   * @param method the HTTP method
   * @param target the request target (path and query)
   * @param headers header names in lower case
   */
  public record Request(String method, String target, Map<String, String> headers) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** @return whether the target's query names {@code parameter} (with or without a value) */
    public boolean hasQuery(String parameter) {
      int q = target.indexOf('?');
      if (q < 0) {
        return false;
      }
      for (String part : target.substring(q + 1).split("&")) {
        if (part.equals(parameter) || part.startsWith(parameter + "=")) {
          return true;
        }
      }
      return false;
    }
  }

  private final ServerSocket server;
  private final URI upstream;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile Function<Request, Fault> policy = r -> Fault.NONE;

  private FaultProxy(ServerSocket server, URI upstream) {
    this.server = server;
    this.upstream = upstream;
  }

  /** Starts a proxy on a loopback ephemeral port forwarding to {@code upstream} (http only). */
  public static FaultProxy start(URI upstream) throws IOException {
    var proxy = new FaultProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), upstream);
    proxy.threads.execute(proxy::acceptLoop);
    return proxy;
  }

  /** @return the endpoint URL clients should use */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** Sets how requests are treated from now on. */
  public void policy(Function<Request, Fault> value) {
    this.policy = value;
  }

  /** A policy failing every {@code n}th request, cycling through {@code faults}. */
  public static Function<Request, Fault> everyNth(int n, Fault... faults) {
    var count = new AtomicInteger();
    var failures = new AtomicInteger();
    return r -> count.incrementAndGet() % n == 0 ? faults[failures.getAndIncrement() % faults.length] : Fault.NONE;
  }

  /** @return the requests seen so far, in arrival order */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public void clearRequests() {
    requests.clear();
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        threads.execute(() -> serve(client));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    Socket up = null;
    try (client) {
      InputStream in = new BufferedInputStream(client.getInputStream());
      OutputStream out = client.getOutputStream();
      while (true) {
        byte[] head = readHead(in);
        if (head == null) {
          return;
        }
        Request request = parse(head);
        requests.add(request);
        Fault fault = policy.apply(request);
        if (fault == Fault.DROP) {
          client.setSoLinger(true, 0);
          return;
        }
        if (fault == Fault.CUT) {
          cut(head, request, in, client);
          return;
        }
        if (fault != Fault.NONE) {
          if (!"100-continue".equalsIgnoreCase(request.header("expect"))) {
            copyBody(request, in, OutputStream.nullOutputStream());
          }
          answer(out, request, fault);
          return;
        }
        if (up == null) {
          up = new Socket(upstream.getHost(), upstream.getPort());
          Socket upstreamSocket = up;
          threads.execute(() -> pump(upstreamSocket, client));
        }
        OutputStream upOut = up.getOutputStream();
        upOut.write(head);
        copyBody(request, in, upOut);
        upOut.flush();
      }
    } catch (IOException e) {
      // The client or the server went away; nothing to report.
    } finally {
      closeQuietly(up);
    }
  }

  /** Bytes of an answer (head included) that {@link Fault#CUT} lets through. */
  public static final int CUT_AFTER = 2 << 20;

  private void cut(byte[] head, Request request, InputStream in, Socket client) throws IOException {
    try (Socket once = new Socket(upstream.getHost(), upstream.getPort())) {
      OutputStream upOut = once.getOutputStream();
      upOut.write(head);
      copyBody(request, in, upOut);
      upOut.flush();
      OutputStream out = client.getOutputStream();
      InputStream answer = once.getInputStream();
      byte[] buf = new byte[64 << 10];
      int left = CUT_AFTER;
      int n;
      while (left > 0 && (n = answer.read(buf, 0, Math.min(buf.length, left))) > 0) {
        out.write(buf, 0, n);
        left -= n;
      }
      out.flush();
    }
    client.setSoLinger(true, 0);
  }

  private static void pump(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
    } catch (IOException e) {
      // Either side closed.
    } finally {
      closeQuietly(to);
    }
  }

  private static void answer(OutputStream out, Request request, Fault fault) throws IOException {
    byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + fault.code + "</Code><Message>"
        + fault.message + "</Message><RequestId>fault-proxy</RequestId></Error>").getBytes(StandardCharsets.UTF_8);
    boolean headRequest = "HEAD".equals(request.method());
    String response = "HTTP/1.1 " + fault.status + " " + fault.code + "\r\n"
        + "Content-Type: application/xml\r\n"
        + "Content-Length: " + (headRequest ? 0 : body.length) + "\r\n"
        + "Connection: close\r\n\r\n";
    out.write(response.getBytes(StandardCharsets.ISO_8859_1));
    if (!headRequest) {
      out.write(body);
    }
    out.flush();
  }

  /** @return the request line and headers including the blank line, or null at end of stream */
  private static byte[] readHead(InputStream in) throws IOException {
    var head = new ByteArrayOutputStream();
    int matched = 0;
    int b;
    while ((b = in.read()) != -1) {
      head.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
          ? matched + 1 : 0;
      if (matched == 4) {
        return head.toByteArray();
      }
    }
    return null;
  }

  private static Request parse(byte[] head) {
    String[] lines = new String(head, StandardCharsets.ISO_8859_1).split("\r\n");
    String[] requestLine = lines[0].split(" ");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
      }
    }
    return new Request(requestLine[0], requestLine.length > 1 ? requestLine[1] : "", Map.copyOf(headers));
  }

  /** Copies the request body as framed by Content-Length or chunked transfer coding. */
  private static void copyBody(Request request, InputStream in, OutputStream out) throws IOException {
    if ("chunked".equalsIgnoreCase(request.header("transfer-encoding"))) {
      while (true) {
        String sizeLine = readLine(in, out);
        int size = Integer.parseInt(sizeLine.split(";")[0].strip(), 16);
        if (size == 0) {
          while (!readLine(in, out).isEmpty()) {
            // trailers
          }
          return;
        }
        copyExactly(in, out, size);
        readLine(in, out);
      }
    }
    String length = request.header("content-length");
    if (length != null) {
      copyExactly(in, out, Long.parseLong(length));
    }
  }

  private static String readLine(InputStream in, OutputStream out) throws IOException {
    var line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      out.write(b);
      if (b == '\n') {
        break;
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  private static void copyExactly(InputStream in, OutputStream out, long n) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    while (n > 0) {
      int read = in.read(buffer, 0, (int) Math.min(buffer.length, n));
      if (read < 0) {
        throw new IOException("request body ended early");
      }
      out.write(buffer, 0, read);
      n -= read;
    }
  }

  private static void closeQuietly(Socket socket) {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // already closed
      }
    }
  }
}
