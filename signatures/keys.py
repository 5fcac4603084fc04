"""The passphrases of the signing certificates, sealed at rest.

A PKCS#12 file is itself encrypted with its passphrase; the passphrase is kept
sealed with Fernet (AES-128-CBC and HMAC-SHA256) under a key derived by HKDF
from ``settings.SIGNING_KEY_SECRET``, or ``SECRET_KEY`` when that is not set.
Set ``SIGNING_KEY_SECRET`` in production: rotating ``SECRET_KEY`` then does not
lose the certificates (without it, they must be uploaded again). The
passphrase is never logged, shown or put in a form's initial value.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

SALT = b"tongket.signatures.passphrase"


class SealError(Exception):
    """The sealed passphrase cannot be opened (the secret changed)."""


def _fernet() -> Fernet:
    secret = getattr(settings, "SIGNING_KEY_SECRET", "") or settings.SECRET_KEY
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=SALT, info=b"pkcs12").derive(
        secret.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def seal(passphrase: str) -> str:
    return _fernet().encrypt(passphrase.encode()).decode("ascii")


def unseal(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode()
    except InvalidToken as error:
        raise SealError("The passphrase was sealed under another secret.") from error
