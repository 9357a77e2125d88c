#!/usr/bin/env python3
"""An independent reading and making of Secours seals, with other people's code only: base45
(RFC 9285), cbor2 (RFC 8949), pycose (RFC 9052) and cryptography (Ed25519). SecoursSealTests runs
it from the project's virtualenv (.build-venv/, filled by ensure_seal_tools in scripts/lib/tools.sh).

  seal_check.py verify CODE PUBLIC_KEY_HEX
      Reads an `SC1:` code: Base45, COSE_Sign1 tagged 18, protected {1: -8, 4: kid}, kid = first
      8 bytes of SHA-256 of the public key, signature checked by pycose and again by cryptography
      over a Sig_structure built here, payload and protected header in deterministic encoding.
      Prints the payload's fields as JSON; exits 1 with the reason on stderr otherwise.

  seal_check.py sign SEED_HEX FIELDS_JSON
      Makes a code with pycose from the fields (as `verify` prints them, without kid) and the
      Ed25519 key of the 32-byte seed; prints it.
"""
import hashlib
import json
import sys
import uuid

import base45
import cbor2
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pycose.algorithms import EdDSA
from pycose.headers import KID, Algorithm
from pycose.keys.curves import Ed25519
from pycose.keys.okp import OKPKey
from pycose.messages import Sign1Message

PREFIX = "SC1:"
KEYS = {"number": 1, "kind": 2, "type": 3, "exciseNumber": 4, "dispatchDate": 5, "dispatchTime": 6,
        "transport": 7, "issuer": 8, "issuedAt": 9, "kid": 10}


def fail(reason):
    print(reason, file=sys.stderr)
    sys.exit(1)


def kid_of(public_key):
    return hashlib.sha256(public_key).digest()[:8]


def verify(code, public_hex):
    public_key = bytes.fromhex(public_hex)
    if not code.startswith(PREFIX):
        fail("no SC1: prefix")
    try:
        raw = base45.b45decode(code[len(PREFIX):])
    except Exception as e:
        fail(f"not base45: {e}")
    outer = cbor2.loads(raw)
    if not isinstance(outer, cbor2.CBORTag) or outer.tag != 18:
        fail("not tagged 18 (COSE_Sign1)")
    if cbor2.dumps(outer, canonical=True) != raw:
        fail("message not in deterministic encoding")
    try:
        message = Sign1Message.decode(raw)
    except Exception as e:
        fail(f"pycose cannot read it: {e}")
    if message.phdr.get(Algorithm) is not EdDSA:
        fail(f"protected alg is {message.phdr.get(Algorithm)}, not EdDSA")
    kid = message.phdr.get(KID)
    if kid != kid_of(public_key):
        fail(f"protected kid {kid!r} is not SHA-256(public key)[:8]")
    if message.uhdr:
        fail(f"unprotected header not empty: {message.uhdr}")
    protected = outer.value[0]
    if protected != cbor2.dumps({1: -8, 4: kid}):
        fail(f"protected header bytes are not {{1: -8, 4: kid}} in deterministic encoding: {protected.hex()}")

    message.key = OKPKey(crv=Ed25519, x=public_key)
    if not message.verify_signature():
        fail("pycose: signature does not verify")
    to_be_signed = cbor2.dumps(["Signature1", protected, b"", message.payload])
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(outer.value[3], to_be_signed)
    except Exception:
        fail("cryptography: signature does not verify over the Sig_structure")

    payload = cbor2.loads(message.payload)
    # Every key of the payload and of its issuer map is a one-byte integer, so RFC 7049's
    # length-first order, which cbor2's canonical mode writes, is RFC 8949's bytewise order too.
    if cbor2.dumps(payload, canonical=True) != message.payload:
        fail("payload not in deterministic encoding")
    if not isinstance(payload, dict) or set(payload) != set(KEYS.values()):
        fail(f"payload keys are {sorted(payload)}")
    fields = {name: payload[key] for name, key in KEYS.items()}
    if fields["kid"] != kid:
        fail("payload kid differs from the header's")
    fields["kid"] = kid.hex()
    issuer = fields["issuer"]
    if issuer.get(1) == "service" and len(issuer) == 1:
        fields["issuer"] = {"kind": "service"}
    elif issuer.get(1) == "device" and len(issuer) == 4 and len(issuer[2]) == 16:
        fields["issuer"] = {"kind": "device", "deviceID": str(uuid.UUID(bytes=issuer[2])).upper(),
                            "login": issuer[3], "name": issuer[4]}
    else:
        fail(f"issuer is {issuer}")
    print(json.dumps(fields, sort_keys=True))


def sign(seed_hex, fields_json):
    private = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(seed_hex))
    public_key = private.public_key().public_bytes_raw()
    kid = kid_of(public_key)
    fields = json.loads(fields_json)
    issuer = fields["issuer"]
    if issuer["kind"] == "service":
        issuer_map = {1: "service"}
    else:
        issuer_map = {1: "device", 2: uuid.UUID(issuer["deviceID"]).bytes, 3: issuer["login"], 4: issuer["name"]}
    payload = {KEYS["issuer"]: issuer_map, KEYS["kid"]: kid}
    for name in ["issuedAt", "transport", "dispatchTime", "dispatchDate", "exciseNumber", "type", "kind", "number"]:
        payload[KEYS[name]] = fields[name]
    # Keys in insertion order, not sorted: the reader must not depend on the deterministic order.
    message = Sign1Message(phdr={Algorithm: EdDSA, KID: kid}, payload=cbor2.dumps(payload))
    message.key = OKPKey(crv=Ed25519, d=bytes.fromhex(seed_hex), x=public_key)
    print(PREFIX + base45.b45encode(message.encode()).decode("ascii"))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "verify":
        verify(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "sign":
        sign(sys.argv[2], sys.argv[3])
    else:
        fail(__doc__)
