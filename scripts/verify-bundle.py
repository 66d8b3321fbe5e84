#!/usr/bin/env python3
"""verify-bundle.py - check a gca signed bundle without gca.

An independent implementation of docs/signing.md: Python's json module,
the canonical payload text rebuilt here (not by jansson), and Ed25519
from the `cryptography` package (Debian: python3-cryptography).

    scripts/verify-bundle.py BUNDLE [--key PUBFILE] [--print-message]

Exit 0 and "signature ok: key KEYID" when the bundle holds; 2 and the
reason on stderr when it does not; 1 on a usage error.
"""
import base64
import binascii
import hashlib
import json
import re
import sys

DOMAIN = b"gca-bundle/1\n"
PUBLIC_TAG = "gca-ed25519-public-v1 "


class Bad(Exception):
    pass


def canon_string(s):
    out = ['"']
    for ch in s:
        c = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch in "\b\f\n\r\t":
            out.append({"\b": "\\b", "\f": "\\f", "\n": "\\n",
                        "\r": "\\r", "\t": "\\t"}[ch])
        elif c < 0x20:
            out.append("\\u%04X" % c)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def canon_real(v):
    # %.17g, then an integral-looking number gets ".0", and the exponent
    # loses its "+" and leading zeros (jansson's jsonp_dtostr).
    s = "%.17g" % v
    if re.fullmatch(r"-?[0-9]+", s):
        s += ".0"
    return re.sub(r"e([+-]?)0*([0-9])",
                  lambda m: "e" + ("-" if m.group(1) == "-" else "") +
                  m.group(2), s)


def canon(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return canon_real(v)
    if isinstance(v, str):
        return canon_string(v)
    if isinstance(v, list):
        return "[" + ",".join(canon(x) for x in v) + "]"
    if isinstance(v, dict):
        # Code point order is UTF-8 byte order.
        return "{" + ",".join(canon_string(k) + ":" + canon(v[k])
                              for k in sorted(v)) + "}"
    raise Bad("unexpected JSON value %r" % (v,))


def no_duplicates(pairs):
    d = {}
    for k, v in pairs:
        if k in d:
            raise Bad("duplicate member '%s'" % k)
        d[k] = v
    return d


def no_constants(name):
    raise Bad("%s is not JSON" % name)


def b64(text, n, what):
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise Bad("%s is not base64" % what)
    if len(raw) != n:
        raise Bad("%s is not %d bytes" % (what, n))
    return raw


def key_id(pk):
    return hashlib.sha256(pk).hexdigest()[:16]


def verify(path, trusted_path, print_message):
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import \
        Ed25519PublicKey

    with open(path, "rb") as f:
        text = f.read().decode("utf-8")
    try:
        root = json.loads(text, object_pairs_hook=no_duplicates,
                          parse_constant=no_constants)
    except json.JSONDecodeError as e:
        raise Bad("not JSON: %s" % e)
    if not isinstance(root, dict) or set(root) != {"format", "payload",
                                                   "signature"}:
        raise Bad("not a bundle: want members format, payload, signature")
    if root["format"] != "gca-bundle/1":
        raise Bad("format %r is not gca-bundle/1" % (root["format"],))
    sig = root["signature"]
    if not isinstance(sig, dict) or set(sig) != {"alg", "key_id",
                                                 "public_key", "value"}:
        raise Bad("signature: want members alg, key_id, public_key, value")
    if sig["alg"] != "ed25519":
        raise Bad("signature.alg %r is not ed25519" % (sig["alg"],))
    if not isinstance(root["payload"], dict):
        raise Bad("payload is not an object")
    pk = b64(sig["public_key"], 32, "signature.public_key")
    value = b64(sig["value"], 64, "signature.value")
    if sig["key_id"] != key_id(pk):
        raise Bad("signature.key_id is not the id of signature.public_key")
    message = DOMAIN + canon(root["payload"]).encode("utf-8")
    if print_message:
        sys.stdout.buffer.write(message)
        return
    try:
        Ed25519PublicKey.from_public_bytes(pk).verify(value, message)
    except InvalidSignature:
        raise Bad("signature does not match the payload")
    if trusted_path:
        with open(trusted_path, encoding="ascii") as f:
            line = f.read()
        if not line.startswith(PUBLIC_TAG) or not line.endswith("\n"):
            raise Bad("%s is not a gca public key file" % trusted_path)
        if b64(line[len(PUBLIC_TAG):-1], 32, trusted_path) != pk:
            raise Bad("signed by key %s, not by the trusted key" %
                      key_id(pk))
    print("signature ok: key %s" % key_id(pk))


def main(argv):
    args, key, print_message = [], None, False
    it = iter(argv[1:])
    for a in it:
        if a == "--key":
            key = next(it, None)
            if key is None:
                print("verify-bundle: --key needs a file", file=sys.stderr)
                return 1
        elif a == "--print-message":
            print_message = True
        elif a.startswith("-"):
            print(__doc__.strip(), file=sys.stderr)
            return 1
        else:
            args.append(a)
    if len(args) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 1
    try:
        verify(args[0], key, print_message)
    except (Bad, OSError, UnicodeDecodeError) as e:
        print("verify-bundle: %s: %s" % (args[0], e), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
