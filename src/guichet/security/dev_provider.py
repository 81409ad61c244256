"""A small OpenID Connect provider for the demo and the tests, standing in for FranceConnect
or an authority's single sign-on: discovery, JWKS (a fresh RSA key), authorisation (a page
to pick an identity, or automatic), token, user info and end session, over plain HTTP on
loopback. Not for production: it trusts whoever picks an identity.
"""

import base64
import html
import json
import secrets
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

DEMO_IDENTITIES = [
    {
        "sub": "fc-angela-dubois",
        "given_name": "Angela Claire Louise",
        "family_name": "DUBOIS",
        "email": "angela.dubois@example.fr",
        "birthdate": "1962-08-24",
        "gender": "female",
        "birthplace": "75107",
        "birthcountry": "99100",
    },
    {
        "sub": "fc-camille-martin",
        "given_name": "Camille",
        "family_name": "MARTIN",
        "email": "camille.martin@example.fr",
        "birthdate": "1990-04-12",
        "gender": "female",
        "birthplace": "45234",
        "birthcountry": "99100",
    },
]


def _b64(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class DevProvider(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        clients: dict[str, str] | None = None,
        identities: list[dict[str, Any]] | None = None,
        acr: str = "eidas1",
        auto_identity: int | None = None,
    ) -> None:
        super().__init__((host, port), _Handler)
        self.clients = clients or {"guichet-demo": "guichet-demo-secret"}
        self.identities = identities or DEMO_IDENTITIES
        self.acr = acr
        self.auto_identity = auto_identity
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(4)
        self.codes: dict[str, dict[str, Any]] = {}
        self.tokens: dict[str, dict[str, Any]] = {}
        self.logouts: list[dict[str, str]] = []
        self.token_requests: list[dict[str, str]] = []
        self.thread: threading.Thread | None = None

    @property
    def issuer(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "DevProvider":
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def discovery(self) -> dict[str, Any]:
        base = self.issuer
        return {
            "issuer": base,
            "authorization_endpoint": f"{base}/authorize",
            "token_endpoint": f"{base}/token",
            "userinfo_endpoint": f"{base}/userinfo",
            "jwks_uri": f"{base}/jwks",
            "end_session_endpoint": f"{base}/logout",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "acr_values_supported": ["eidas1", "eidas2", "eidas3"],
            "scopes_supported": ["openid", "email", "given_name", "family_name", "birthdate"],
        }

    def jwks(self) -> dict[str, Any]:
        numbers = self.key.public_key().public_numbers()
        return {
            "keys": [
                {
                    "kty": "RSA",
                    "use": "sig",
                    "alg": "RS256",
                    "kid": self.kid,
                    "n": _b64(numbers.n),
                    "e": _b64(numbers.e),
                }
            ]
        }

    def sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.kid})

    def issue_code(self, params: dict[str, str], identity: dict[str, Any]) -> str:
        code = secrets.token_urlsafe(24)
        self.codes[code] = {"params": params, "identity": identity, "at": time.time()}
        return code


class _Handler(BaseHTTPRequestHandler):
    server: DevProvider

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _send(
        self, status: int, body: bytes, content_type: str, headers: dict | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: dict[str, Any]) -> None:
        self._send(status, json.dumps(data).encode(), "application/json")

    def _redirect(self, url: str) -> None:
        self._send(302, b"", "text/plain", {"Location": url})

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        routes = {
            "/.well-known/openid-configuration": lambda: self._json(200, self.server.discovery()),
            "/jwks": lambda: self._json(200, self.server.jwks()),
            "/authorize": lambda: self._authorize(query),
            "/userinfo": self._userinfo,
            "/logout": lambda: self._logout(query),
        }
        handler = routes.get(url.path)
        if handler is None:
            self._json(404, {"error": "not_found"})
        else:
            handler()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        if urllib.parse.urlsplit(self.path).path == "/token":
            self._token(form)
        else:
            self._json(404, {"error": "not_found"})

    def _authorize(self, query: dict[str, str]) -> None:
        client_id = query.get("client_id", "")
        redirect_uri = query.get("redirect_uri", "")
        if client_id not in self.server.clients or not redirect_uri.startswith("http"):
            self._json(400, {"error": "invalid_request"})
            return
        if query.get("response_type") != "code" or "openid" not in query.get("scope", "").split():
            self._json(400, {"error": "unsupported_response_type"})
            return
        choice = query.pop("identity", None)
        if choice is None and self.server.auto_identity is not None:
            choice = str(self.server.auto_identity)
        if choice is None:
            self._choose(query)
            return
        identity = self.server.identities[int(choice)]
        code = self.server.issue_code(query, identity)
        target = {"code": code, "state": query.get("state", "")}
        separator = "&" if "?" in redirect_uri else "?"
        self._redirect(f"{redirect_uri}{separator}{urllib.parse.urlencode(target)}")

    def _choose(self, query: dict[str, str]) -> None:
        items = []
        for index, identity in enumerate(self.server.identities):
            link = "/authorize?" + urllib.parse.urlencode({**query, "identity": index})
            name = f"{identity['given_name']} {identity['family_name']}"
            items.append(f'<li><a href="{html.escape(link)}">{html.escape(name)}</a></li>')
        page = (
            '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
            "<title>Fournisseur d'identité de démonstration</title></head><body><main>"
            "<h1>Fournisseur d'identité de démonstration</h1>"
            "<p>Choisissez l'identité avec laquelle vous connecter :</p>"
            f"<ul>{''.join(items)}</ul></main></body></html>"
        )
        self._send(200, page.encode(), "text/html; charset=utf-8")

    def _token(self, form: dict[str, str]) -> None:
        self.server.token_requests.append(form)
        client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        if self.server.clients.get(client_id) != secret or not secret:
            self._json(401, {"error": "invalid_client"})
            return
        grant = self.server.codes.pop(form.get("code", ""), None)
        if (
            grant is None
            or form.get("grant_type") != "authorization_code"
            or grant["params"].get("client_id") != client_id
            or grant["params"].get("redirect_uri") != form.get("redirect_uri")
            or time.time() - grant["at"] > 60
        ):
            self._json(400, {"error": "invalid_grant"})
            return
        identity, params = grant["identity"], grant["params"]
        now = int(time.time())
        id_token = self.server.sign(
            {
                "iss": self.server.issuer,
                "sub": identity["sub"],
                "aud": client_id,
                "exp": now + 60,
                "iat": now,
                "nonce": params.get("nonce", ""),
                "acr": self.server.acr,
                "amr": ["pwd"],
            }
        )
        access_token = secrets.token_urlsafe(24)
        self.server.tokens[access_token] = identity
        self._json(
            200,
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 60,
                "id_token": id_token,
            },
        )

    def _userinfo(self) -> None:
        auth = self.headers.get("Authorization", "")
        identity = self.server.tokens.get(auth.removeprefix("Bearer ").strip())
        if not auth.startswith("Bearer ") or identity is None:
            self._json(401, {"error": "invalid_token"})
            return
        self._json(200, identity)

    def _logout(self, query: dict[str, str]) -> None:
        self.server.logouts.append(query)
        target = query.get("post_logout_redirect_uri", "")
        if target.startswith("http"):
            separator = "&" if "?" in target else "?"
            state = urllib.parse.urlencode({"state": query.get("state", "")})
            self._redirect(f"{target}{separator}{state}")
        else:
            self._send(200, "Vous êtes déconnecté.".encode(), "text/plain; charset=utf-8")
