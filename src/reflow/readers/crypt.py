"""Opening a PDF whose owner password is empty (AES-256, revisions 5 and 6) without a password.

Such a file opens in other readers (poppler, qpdf, pdf.js try the empty password as the owner
password too: qpdf calls writing one "insecure as it can be opened without a password"), but
PDFium tries an empty password as the user password only, so reflow refused it as encrypted.
``empty_owner_open`` checks the encryption dictionary: if the empty string is the owner password,
it recovers the file key from ``/OE`` and writes a ``/U`` and ``/UE`` for an empty user password
in place of the old ones (same byte length, so the cross-reference offsets hold); PDFium then
opens the copy with no password. The file key, and so every decrypted byte, is unchanged.

AES comes from the system's OpenSSL ``libcrypto`` (Python's ``hashlib`` is built on it); without
it the file stays refused, as before.
"""

from __future__ import annotations

import ctypes
import os
import re

_LIB: list = []  # [libcrypto or None], looked up once


def _crypto():
    if not _LIB:
        import ctypes.util  # with subprocess and shutil: only for an encrypted file

        lib = None
        names = [ctypes.util.find_library("crypto"), "libcrypto.so.3", "libcrypto.so.1.1"]
        for name in names:
            if not name:
                continue
            try:
                lib = ctypes.CDLL(name)
                lib.EVP_CIPHER_CTX_new.restype = ctypes.c_void_p
                for f in ("EVP_aes_128_cbc", "EVP_aes_256_cbc"):
                    getattr(lib, f).restype = ctypes.c_void_p
                lib.EVP_CipherInit_ex.argtypes = [ctypes.c_void_p] * 5 + [ctypes.c_int]
                lib.EVP_CIPHER_CTX_set_padding.argtypes = [ctypes.c_void_p, ctypes.c_int]
                lib.EVP_CipherUpdate.argtypes = [ctypes.c_void_p] * 4 + [ctypes.c_int]
                lib.EVP_CIPHER_CTX_free.argtypes = [ctypes.c_void_p]
                break
            except (OSError, AttributeError):
                lib = None
        _LIB.append(lib)
    return _LIB[0]


def _aes_cbc(key: bytes, iv: bytes, data: bytes, encrypt: bool) -> bytes:
    """AES-CBC without padding (``data`` is whole blocks), key of 16 or 32 bytes."""
    lib = _crypto()
    cipher = lib.EVP_aes_128_cbc() if len(key) == 16 else lib.EVP_aes_256_cbc()
    ctx = lib.EVP_CIPHER_CTX_new()
    if not ctx:
        raise MemoryError
    try:
        if not lib.EVP_CipherInit_ex(ctx, cipher, None, key, iv, 1 if encrypt else 0):
            raise ValueError("AES init failed")
        lib.EVP_CIPHER_CTX_set_padding(ctx, 0)
        out = ctypes.create_string_buffer(len(data) + 32)
        n = ctypes.c_int(0)
        if not lib.EVP_CipherUpdate(ctx, out, ctypes.byref(n), data, len(data)):
            raise ValueError("AES failed")
        return out.raw[: n.value]
    finally:
        lib.EVP_CIPHER_CTX_free(ctx)


def _hash(revision: int, password: bytes, salt: bytes, udata: bytes) -> bytes:
    """The password hash of the AES-256 security handler: SHA-256 (revision 5), or ISO 32000-2
    algorithm 2.B (revision 6)."""
    import hashlib  # here: importing it loads OpenSSL (~5 ms), for encrypted files only

    k = hashlib.sha256(password + salt + udata).digest()
    if revision == 5:
        return k
    i = 0
    while True:
        e = _aes_cbc(k[:16], k[16:32], (password + k + udata) * 64, True)
        k = (hashlib.sha256, hashlib.sha384, hashlib.sha512)[sum(e[:16]) % 3](e).digest()
        i += 1
        if i >= 64 and e[-1] <= i - 32:
            return k[:32]


# ---------------------------------------------------------------------------------------------
# The encryption dictionary, read and patched in the file's bytes

_ENCRYPT_REF = re.compile(rb"/Encrypt\s*(\d+)\s+(\d+)\s+R")
_ESCAPES = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}


def _string_at(data: bytes, i: int) -> tuple[bytes, int] | None:
    """The PDF string starting at ``data[i]`` (hex or literal) and the offset after it."""
    if data[i : i + 1] == b"<":
        j = data.find(b">", i)
        if j < 0:
            return None
        h = re.sub(rb"\s+", b"", data[i + 1 : j])
        if len(h) % 2:
            h += b"0"
        try:
            return bytes.fromhex(h.decode("ascii")), j + 1
        except ValueError:
            return None
    if data[i : i + 1] != b"(":
        return None
    out, depth, j = bytearray(), 1, i + 1
    while j < len(data):
        c = data[j]
        if c == 0x5C:  # backslash
            j += 1
            c = data[j] if j < len(data) else 0
            if c in _ESCAPES:
                out.append(_ESCAPES[c])
            elif 0x30 <= c <= 0x37:
                k = j
                while k < j + 3 and k < len(data) and 0x30 <= data[k] <= 0x37:
                    k += 1
                out.append(int(data[j:k], 8) & 0xFF)
                j = k - 1
            elif c == 13:  # a line continuation
                if data[j + 1 : j + 2] == b"\n":
                    j += 1
            elif c != 10:
                out.append(c)
        elif c == 0x28:
            depth += 1
            out.append(c)
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return bytes(out), j + 1
            out.append(c)
        else:
            out.append(c)
        j += 1
    return None


def _literal(value: bytes) -> bytes:
    out = bytearray(b"(")
    for c in value:
        if c in b"()\\":
            out += b"\\" + bytes([c])
        elif c == 13:
            out += b"\\r"
        elif c == 10:
            out += b"\\n"
        else:
            out.append(c)
    return bytes(out + b")")


def _encrypt_dict(data: bytes) -> tuple[int, int] | None:
    """Start and end offsets of the encryption dictionary's object body (the last trailer's)."""
    refs = list(_ENCRYPT_REF.finditer(data))
    if not refs:
        return None
    num, gen = refs[-1].group(1), refs[-1].group(2)
    starts = list(re.finditer(rb"(?<![0-9])" + num + rb"\s+" + gen + rb"\s+obj\b", data))
    if not starts:
        return None
    a = starts[-1].end()
    b = data.find(b"endobj", a)
    return (a, b) if b > a else None


def _entry(data: bytes, a: int, b: int, key: bytes):
    """(value, start, end) of the dictionary entry ``/key`` in data[a:b]: a string, or an int."""
    m = re.compile(rb"/" + key + rb"(?![A-Za-z0-9])\s*").search(data, a, b)
    if not m:
        return None
    i = m.end()
    if data[i : i + 1] in (b"<", b"("):
        got = _string_at(data, i)
        return (got[0], i, got[1]) if got and got[1] <= b else None
    n = re.compile(rb"-?\d+").match(data, i, b)
    return (int(n.group()), i, n.end()) if n else None


def empty_owner_open(data: bytes) -> bytes | None:
    """A copy of ``data`` that opens with no password, when its owner password is empty (the
    AES-256 handler, revisions 5 and 6); None otherwise (or without libcrypto)."""
    span = _encrypt_dict(data)
    if span is None or _crypto() is None:
        return None
    a, b = span
    got = {k: _entry(data, a, b, k) for k in (b"R", b"O", b"U", b"OE", b"UE")}
    if any(v is None for v in got.values()) or got[b"R"][0] not in (5, 6):
        return None
    rev = got[b"R"][0]
    o, u, oe = got[b"O"][0], got[b"U"][0], got[b"OE"][0]
    if len(o) < 48 or len(u) < 48 or len(oe) != 32:
        return None
    try:
        if _hash(rev, b"", o[32:40], u[:48]) != o[:32]:
            return None  # the empty password is not the owner's
        file_key = _aes_cbc(_hash(rev, b"", o[40:48], u[:48]), bytes(16), oe, False)
        for _ in range(64):  # salts whose strings fit where the old ones were
            vs, ks = os.urandom(8), os.urandom(8)
            new_u = _hash(rev, b"", vs, b"") + vs + ks
            new_ue = _aes_cbc(_hash(rev, b"", ks, b""), bytes(16), file_key, True)
            out = _replace(data, [(got[b"U"], new_u), (got[b"UE"], new_ue)])
            if out is not None:
                return out
    except (ValueError, MemoryError, OSError):
        return None
    return None


def _replace(data: bytes, edits) -> bytes | None:
    """``data`` with each ((old value, start, end), new value) string rewritten in the same
    number of bytes (hex when it fits, else a literal; spaces after it), None if one does not
    fit."""
    out = bytearray(data)
    for (_, i, j), value in sorted(edits, key=lambda e: -e[0][1]):
        width = j - i
        token = b"<" + value.hex().encode() + b">"
        if len(token) > width:
            token = _literal(value)
            if len(token) > width:
                return None
        out[i:j] = token + b" " * (width - len(token))
    return bytes(out)
