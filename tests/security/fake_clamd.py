"""A stand-in for clamd on a loopback socket, speaking its INSTREAM protocol (the EICAR
test string is the virus)."""

import socketserver
import struct
import threading

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class _Handler(socketserver.BaseRequestHandler):
    def _read(self, size: int) -> bytes:
        data = b""
        while len(data) < size:
            part = self.request.recv(size - len(data))
            if not part:
                raise ConnectionError("closed")
            data += part
        return data

    def handle(self) -> None:
        command = b""
        while not command.endswith(b"\0"):
            command += self._read(1)
        if command != b"zINSTREAM\0":
            self.request.sendall(b"UNKNOWN COMMAND\0")
            return
        body = b""
        while size := struct.unpack("!L", self._read(4))[0]:
            body += self._read(size)
        self.server.scanned.append(body)  # type: ignore[attr-defined]
        if EICAR in body:
            self.request.sendall(b"stream: Eicar-Test-Signature FOUND\0")
        else:
            self.request.sendall(b"stream: OK\0")


class FakeClamd(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.scanned: list[bytes] = []
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def address(self) -> str:
        return f"tcp:127.0.0.1:{self.server_address[1]}"

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
